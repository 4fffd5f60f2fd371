import type { DateTime } from 'luxon';
import type { Block, Button, Message } from '../chat/message';
import { mayReadFullPhone, type Actor, type Audience } from '../core/access';
import type { UserError } from '../core/result';
import { formatDuration } from '../core/duration';
import type { Contact, ContactEvent, Customer, Member, Team } from '../core/model';
import { displayPhone, maskPhone } from '../core/phone';
import type { ResponseWindow } from '../core/policy';
import { formatDateTime } from '../core/time';
import { t, type Lang } from '../i18n';

/** Builds the messages the bot sends, in the team's language, from domain values. */

export const mention = (userId: string): string => `<@${userId}>`;
export const channelRef = (channelId: string): string => `<#${channelId}>`;

/** A user error as a reply: what was wrong, then the right form with an example. */
export function errorMessage(error: UserError, lang: Lang): Message {
  const lines = [t(lang, error.key, error.params)];
  if (error.usage) lines.push(t(lang, 'usage.correctForm', { usage: t(lang, error.usage) }));
  const text = lines.join('\n');
  return { text, blocks: lines.map((line) => ({ kind: 'text', text: line })) };
}

export function helpMessage(lang: Lang): Message {
  const usages = (
    ['usage.log', 'usage.logPrompt', 'usage.reply', 'usage.resolve', 'usage.note', 'usage.mine', 'usage.show', 'usage.customer', 'usage.team'] as const
  ).map((key) => t(lang, key));
  return {
    text: t(lang, 'help.title'),
    blocks: [
      { kind: 'text', text: t(lang, 'help.title') },
      { kind: 'list', items: usages },
      { kind: 'context', text: `${t(lang, 'help.channels')}\n${t(lang, 'help.ids')}` },
    ],
  };
}

export function windowText(window: ResponseWindow, lang: Lang): string {
  return formatDuration(window.minutes, lang);
}

/** The phone as this reader may see it: full only in private to the owner, a supervisor or a manager. */
export function phoneFor(customer: Customer, actor: Actor, audience: Audience): string {
  if (!customer.phone) return '—';
  return mayReadFullPhone(actor, customer.ownerUserId, audience) ? displayPhone(customer.phone) : maskPhone(customer.phone);
}

function contactButtons(contact: Contact, lang: Lang): Block[] {
  const buttons: Button[] = [];
  if (contact.status === 'open') buttons.push({ label: t(lang, 'button.replied'), command: `reply ${contact.id}`, style: 'primary' });
  if (contact.status !== 'resolved') buttons.push({ label: t(lang, 'button.resolved'), command: `resolve ${contact.id}` });
  return buttons.length ? [{ kind: 'buttons', buttons }] : [];
}

function dueText(contact: Contact, team: Team, lang: Lang, window: ResponseWindow | null): string {
  if (!contact.firstResponseDueAt) return t(lang, 'log.noResponseWindow');
  const due = formatDateTime(contact.firstResponseDueAt, team.zone);
  return window ? t(lang, 'log.dueValue', { due, window: windowText(window, lang) }) : due;
}

/** The confirmation of a logged contact. Its phone is masked: the reply may be read over a shoulder. */
export function loggedMessage(
  contact: Contact,
  team: Team,
  lang: Lang,
  window: ResponseWindow | null,
  opts: { actorUserId: string; duplicate: boolean },
): Message {
  const title = t(lang, 'log.title', { id: contact.id });
  const due = dueText(contact, team, lang, window);
  const fields: Array<[string, string]> = [
    [t(lang, 'log.customer'), contact.customer.name],
    [t(lang, 'log.phone'), contact.customer.phone ? maskPhone(contact.customer.phone) : '—'],
    [t(lang, 'log.channel'), t(lang, `channel.${contact.channel}`)],
    [t(lang, 'log.receivedAt'), formatDateTime(contact.receivedAt, team.zone)],
    [t(lang, 'log.due'), due],
  ];
  if (contact.note) fields.push([t(lang, 'log.note'), contact.note]);
  const blocks: Block[] = [{ kind: 'header', text: title }, { kind: 'fields', fields }];
  if (contact.ownerUserId !== opts.actorUserId) {
    blocks.push({ kind: 'context', text: t(lang, 'log.ownedByOther', { customer: contact.customer.name, owner: mention(contact.ownerUserId) }) });
  }
  if (opts.duplicate) blocks.push({ kind: 'context', text: t(lang, 'log.duplicate') });
  blocks.push(...contactButtons(contact, lang));
  return { text: `${title} · ${contact.customer.name} · ${due}`, blocks };
}

/** Told to the owner when someone else logs a contact for their customer. */
export function ownerNoticeMessage(contact: Contact, team: Team, lang: Lang, actorUserId: string): Message {
  const text = t(lang, 'log.dmOwner', {
    actor: mention(actorUserId),
    id: contact.id,
    customer: `${contact.customer.name}${contact.customer.phone ? ` ${maskPhone(contact.customer.phone)}` : ''}`,
    channel: t(lang, `channel.${contact.channel}`),
    due: contact.firstResponseDueAt ? formatDateTime(contact.firstResponseDueAt, team.zone) : '—',
  });
  return { text, blocks: [{ kind: 'text', text }, ...contactButtons(contact, lang)] };
}

/** One line of a list: id, channel, customer, masked phone, deadline and what is left of it. */
export function contactLine(contact: Contact, team: Team, lang: Lang, now: DateTime): string {
  const parts = [
    `#${contact.id}`,
    t(lang, `channel.${contact.channel}`),
    contact.customer.phone ? `${contact.customer.name} ${maskPhone(contact.customer.phone)}` : contact.customer.name,
  ];
  if (contact.status === 'open' && contact.firstResponseDueAt) {
    const minutesLeft = contact.firstResponseDueAt.diff(now, 'minutes').minutes;
    const left =
      minutesLeft < 0
        ? t(lang, 'mine.overdue', { duration: formatDuration(-minutesLeft, lang) })
        : t(lang, 'mine.remaining', { duration: formatDuration(minutesLeft, lang) });
    parts.push(t(lang, 'mine.dueLeft', { due: formatDateTime(contact.firstResponseDueAt, team.zone), left }));
  } else {
    parts.push(t(lang, `status.${contact.status}`));
  }
  return parts.join(' · ');
}

export function mineMessage(contacts: readonly Contact[], team: Team, lang: Lang, now: DateTime): Message {
  if (contacts.length === 0) return { text: t(lang, 'mine.empty'), blocks: [{ kind: 'text', text: t(lang, 'mine.empty') }] };
  const title = t(lang, 'mine.title', { count: contacts.length });
  return {
    text: title,
    blocks: [{ kind: 'header', text: title }, { kind: 'list', items: contacts.map((c) => contactLine(c, team, lang, now)) }],
  };
}

function eventLine(event: ContactEvent, team: Team, lang: Lang): string {
  const note = typeof event.after?.note === 'string' ? event.after.note : '';
  const what = t(lang, `event.${event.kind}`);
  return `${formatDateTime(event.at, team.zone)} ${mention(event.actorUserId)} ${note ? t(lang, 'show.eventNote', { what, note }) : what}`;
}

/** One contact in full, for someone allowed to see it, in private. */
export function contactDetailMessage(contact: Contact, events: readonly ContactEvent[], team: Team, lang: Lang, actor: Actor): Message {
  const title = t(lang, 'show.title', { id: contact.id, channel: t(lang, `channel.${contact.channel}`), status: t(lang, `status.${contact.status}`) });
  const fields: Array<[string, string]> = [
    [t(lang, 'log.customer'), contact.customer.name],
    [t(lang, 'log.phone'), phoneFor(contact.customer, actor, 'private')],
    [t(lang, 'log.owner'), mention(contact.ownerUserId)],
    [t(lang, 'log.receivedAt'), formatDateTime(contact.receivedAt, team.zone)],
    [t(lang, 'log.due'), dueText(contact, team, lang, null)],
  ];
  if (contact.firstRespondedAt) fields.push([t(lang, 'show.responded'), formatDateTime(contact.firstRespondedAt, team.zone)]);
  if (contact.resolvedAt) fields.push([t(lang, 'show.resolved'), formatDateTime(contact.resolvedAt, team.zone)]);
  if (contact.note) fields.push([t(lang, 'log.note'), contact.note]);
  return {
    text: title,
    blocks: [
      { kind: 'header', text: title },
      { kind: 'fields', fields },
      { kind: 'text', text: `*${t(lang, 'show.history')}*` },
      { kind: 'list', items: events.map((e) => eventLine(e, team, lang)) },
      ...contactButtons(contact, lang),
    ],
  };
}

export function customerMessage(
  entries: ReadonlyArray<{ customer: Customer; contacts: readonly Contact[]; total: number }>,
  team: Team,
  lang: Lang,
  actor: Actor,
  now: DateTime,
): Message {
  const blocks: Block[] = [];
  for (const { customer, contacts, total } of entries) {
    blocks.push({ kind: 'header', text: t(lang, 'customer.title', { name: customer.name }) });
    blocks.push({
      kind: 'fields',
      fields: [
        [t(lang, 'log.phone'), phoneFor(customer, actor, 'private')],
        [t(lang, 'log.owner'), mention(customer.ownerUserId)],
      ],
    });
    blocks.push({ kind: 'text', text: `*${t(lang, 'customer.contacts', { count: total })}*` });
    blocks.push(
      contacts.length
        ? { kind: 'list', items: contacts.map((c) => `${formatDateTime(c.receivedAt, team.zone)} · ${contactLine(c, team, lang, now)}${c.note ? ` · ${c.note}` : ''}`) }
        : { kind: 'text', text: t(lang, 'customer.none') },
    );
  }
  return { text: entries.map((e) => t(lang, 'customer.title', { name: e.customer.name })).join(' / '), blocks };
}

export function teamMessage(team: Team, members: readonly Member[], lang: Lang): Message {
  const title = t(lang, 'team.title', { name: team.name });
  return {
    text: title,
    blocks: [
      { kind: 'header', text: title },
      {
        kind: 'fields',
        fields: [
          [t(lang, 'team.channel'), channelRef(team.channelId)],
          [t(lang, 'team.zone'), team.zone],
          [t(lang, 'team.lang'), team.lang],
        ],
      },
      { kind: 'text', text: `*${t(lang, 'team.members')}*` },
      { kind: 'list', items: members.map((m) => `${mention(m.userId)} · ${t(lang, `role.${m.role}`)}`) },
    ],
  };
}
