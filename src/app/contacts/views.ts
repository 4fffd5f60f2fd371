import type { DateTime } from 'luxon';
import type { Block, Button, Message } from '../../chat/message';
import { mayReadFullPhone, type Actor, type Audience } from '../../core/access';
import { formatDuration, formatWorkingDuration, workingMinutes } from '../../core/time/duration';
import type { Contact, ContactEvent, Customer, Team } from '../../core/model';
import { displayPhone, maskPhone } from '../../core/phone';
import type { RunningClock, TimeLeft } from '../../core/time/clocks';
import type { ContactDeadlines } from '../../core/time/deadlines';
import type { Policy, SlaWindow } from '../../core/policy';
import { formatDateTime } from '../../core/time/time-of-day';
import { t, type Lang } from '../../i18n';
import { complaintFields, eventChange } from '../complaints/complaint-views';
import { mention } from '../commands/mention';
import { windowDuration } from '../team/team-views';

/** Builds the messages the bot sends, in the team's language, from domain values. */

export { mention } from '../commands/mention';
export { errorMessage, exampleDates, helpMessage, shortHelpMessage } from '../commands/help-views';

/** The phone as this reader may see it: full only in private to the owner, a supervisor or a manager. */
function phoneFor(customer: Customer, actor: Actor, audience: Audience): string {
  if (!customer.phone) return '—';
  return mayReadFullPhone(actor, customer.ownerUserId, audience) ? displayPhone(customer.phone) : maskPhone(customer.phone);
}

function contactButtons(contact: Contact, lang: Lang): Block[] {
  const buttons: Button[] = [];
  if (contact.status === 'open') buttons.push({ label: t(lang, 'button.replied'), command: `reply ${contact.id}`, style: 'primary' });
  if (contact.status === 'open' || contact.status === 'responded') buttons.push({ label: t(lang, 'button.resolved'), command: `resolve ${contact.id}` });
  return buttons.length ? [{ kind: 'buttons', buttons }] : [];
}

function dueText(due: DateTime | null, team: Team, lang: Lang, window: SlaWindow | null, none: string, withResponse = false): string {
  if (!due) return none;
  const at = formatDateTime(due, team.zone);
  if (withResponse) return t(lang, 'log.due.withResponse', { due: at });
  if (window?.sameDay) return t(lang, `log.due.${window.sameDay}`, { due: at });
  return window ? t(lang, 'log.dueValue', { due: at, window: windowDuration(window, lang), mode: t(lang, `mode.${window.mode}`) }) : at;
}

/**
 * The confirmation of a logged contact, with both deadlines. Its phone is masked:
 * the reply may be read over a shoulder. Outside working hours it says when the
 * clock starts and offers the customer an auto-reply quoting the real due time.
 */
export function loggedMessage(
  contact: Contact,
  team: Team,
  lang: Lang,
  policy: Policy,
  opts: { actorUserId: string; duplicate: boolean; deadlines?: ContactDeadlines; now?: DateTime; readAs?: boolean; ownerVisible?: boolean },
): Message {
  const title = t(lang, 'log.title', { id: contact.id });
  const windows = policy[contact.channel];
  // A complaint's level swaps in its own windows: show the ones the deadlines were computed with.
  const responseDue = dueText(contact.firstResponseDueAt, team, lang, opts.deadlines?.response?.window ?? windows.response, t(lang, 'log.noResponseWindow'));
  const fields: Array<[string, string]> = [
    [t(lang, 'log.customer'), contact.customer.name],
    [t(lang, 'log.phone'), contact.customer.phone ? maskPhone(contact.customer.phone) : '—'],
    [t(lang, 'log.channel'), t(lang, `channel.${contact.channel}`)],
    [t(lang, 'log.receivedAt'), formatDateTime(contact.receivedAt, team.zone)],
    [t(lang, 'log.due'), responseDue],
  ];
  if (contact.resolutionDueAt) {
    const resolution = opts.deadlines?.resolution;
    fields.push([t(lang, 'log.resolutionDue'), dueText(contact.resolutionDueAt, team, lang, resolution?.window ?? windows.resolution, '—', resolution?.withResponse)]);
  }
  if (contact.channel === 'complaint') {
    fields.push([t(lang, 'show.level'), t(lang, `level.${contact.complaint.level ?? 'unset'}`)]);
    fields.push([t(lang, 'show.category'), t(lang, `category.${contact.complaint.category ?? 'unset'}`)]);
  }
  if (contact.note) fields.push([t(lang, 'log.note'), contact.note]);
  const blocks: Block[] = [
    { kind: 'header', text: title },
    { kind: 'fields', fields },
  ];
  // The line was read in a way that is not obvious (a name of several words, a phone found elsewhere): say how.
  if (opts.readAs) {
    const phone = contact.customer.phone ? maskPhone(contact.customer.phone) : '—';
    blocks.push({ kind: 'context', text: t(lang, 'log.readAs', { name: contact.customer.name, phone, note: contact.note || '—' }) });
  }
  const response = opts.deadlines?.response;
  if (response && opts.now && response.startsAt > opts.now && contact.firstRespondedAt === null) {
    const due = formatDateTime(response.dueAt, team.zone);
    blocks.push({ kind: 'context', text: t(lang, 'log.outOfHours', { start: formatDateTime(response.startsAt, team.zone) }) });
    blocks.push({ kind: 'text', text: t(lang, 'log.autoReply', { text: autoReplyText(team, contact.channel, due) }) });
  }
  // Logged after its deadline (back-dated): say so now, not only in the overdue reminder that follows.
  if (opts.now && contact.firstResponseDueAt && !contact.firstRespondedAt && contact.firstResponseDueAt <= opts.now) {
    blocks.push({ kind: 'context', text: t(lang, 'log.alreadyOverdue', { due: formatDateTime(contact.firstResponseDueAt, team.zone) }) });
  }
  if (opts.deadlines?.guessedYears.length) {
    blocks.push({ kind: 'context', text: t(lang, 'log.guessed', { years: opts.deadlines.guessedYears.join(', ') }) });
  }
  if (contact.ownerUserId !== opts.actorUserId) {
    // Who owns the number is said only to those who may see that colleague's customers.
    const owned = opts.ownerVisible
      ? t(lang, 'log.ownedByOther', { customer: contact.customer.name, owner: mention(contact.ownerUserId) })
      : t(lang, 'log.ownedByColleague', { customer: contact.customer.name });
    blocks.push({ kind: 'context', text: owned });
  }
  if (opts.duplicate) blocks.push({ kind: 'context', text: t(lang, 'log.duplicate') });
  blocks.push(...contactButtons(contact, lang));
  return { text: `${title} · ${contact.customer.name} · ${responseDue}`, blocks };
}

/**
 * The out-of-hours auto-reply for the customer, quoting when they will hear back: the team's
 * own for the channel, else an apology and a call-back time for a missed call, an
 * acknowledgement for a complaint, and a plain acknowledgement otherwise.
 */
export function autoReplyText(team: Team, channel: Contact['channel'], due: string): string {
  const own = team.settings.autoReplies[channel];
  if (own) return own.replaceAll('{due}', due);
  const key = channel === 'missed' ? 'autoReply.missed' : channel === 'complaint' ? 'autoReply.complaint' : 'autoReply.text';
  return t(team.lang, key, { due });
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

/** A contact's next running clock with what is left of it, in the clock's own kind of time (see core/clocks.ts). */
export type ClockLeft = RunningClock & { readonly left: TimeLeft };

/**
 * `剩余 2 个工作日 3 小时`, `已超时 20 分钟`, or just `已超时` at the deadline and while none
 * of the clock's time has passed since (a working-time clock all evening): working time
 * in working units, calendar time in calendar ones.
 */
export function leftText(left: TimeLeft, lang: Lang): string {
  const { workingDayMs } = left;
  const duration = workingDayMs === null ? formatDuration(left.ms, lang) : formatWorkingDuration(left.ms, workingDayMs, lang);
  if (!left.overdue) return t(lang, 'mine.remaining', { duration });
  const passed = workingDayMs === null ? left.ms >= 500 : workingMinutes(left.ms) > 0;
  return passed ? t(lang, 'mine.overdue', { duration }) : t(lang, 'mine.overdueNow');
}

/** `首次响应时限 2026-11-25 09:30（剩余 30 个工作分钟）`: the same words in every list. */
export function clockDueText(next: ClockLeft, team: Team, lang: Lang): string {
  return t(lang, 'mine.clockDue', { clock: t(lang, `clock.${next.clock}`), due: formatDateTime(next.dueAt, team.zone), left: leftText(next.left, lang) });
}

/**
 * One line of a list: id, channel, customer, masked phone, and the clock to meet next
 * with what is left of it; a contact with no clock running shows its status.
 */
function contactLine(contact: Contact, team: Team, lang: Lang, next: ClockLeft | null): string {
  const parts = [
    `#${contact.id}`,
    t(lang, `channel.${contact.channel}`),
    contact.customer.phone ? `${contact.customer.name} ${maskPhone(contact.customer.phone)}` : contact.customer.name,
    next ? clockDueText(next, team, lang) : t(lang, `status.${contact.status}`),
  ];
  return parts.join(' · ');
}

/** Someone's open work, every running clock soonest first (a replied contact by its resolution deadline). */
export function mineMessage(contacts: readonly Contact[], team: Team, lang: Lang, nextOf: (c: Contact) => ClockLeft | null, asker?: string): Message {
  if (contacts.length === 0) return { text: t(lang, 'mine.empty'), blocks: [{ kind: 'text', text: t(lang, 'mine.empty') }] };
  const title = t(lang, 'mine.title', { count: contacts.length });
  const lines = contacts.map((c) => ({ c, next: nextOf(c) })).sort((a, b) => (a.next?.dueAt.toMillis() ?? Infinity) - (b.next?.dueAt.toMillis() ?? Infinity));
  return {
    text: title,
    blocks: [
      { kind: 'header', text: title },
      {
        kind: 'list',
        // A colleague's contact, there because the asker covers for them (代班), says whose it is.
        items: lines.map(({ c, next }) =>
          asker && c.ownerUserId !== asker ? `${contactLine(c, team, lang, next)} · ${t(lang, 'mine.covering', { owner: mention(c.ownerUserId) })}` : contactLine(c, team, lang, next),
        ),
      },
    ],
  };
}

function eventLine(event: ContactEvent, team: Team, lang: Lang): string {
  const note = typeof event.after?.note === 'string' ? event.after.note : '';
  const what = t(lang, `event.${event.kind}`);
  const change = event.kind === 'logged' ? '' : eventChange(event, lang);
  const head = change ? (lang === 'en' ? `${what} (${change})` : `${what}（${change}）`) : what;
  return `${formatDateTime(event.at, team.zone)} ${mention(event.actorUserId)} ${note ? t(lang, 'show.eventNote', { what: head, note }) : head}`;
}

/** One contact in full, for someone allowed to see it, in private. */
export function contactDetailMessage(contact: Contact, events: readonly ContactEvent[], team: Team, lang: Lang, actor: Actor): Message {
  const title = t(lang, 'show.title', { id: contact.id, channel: t(lang, `channel.${contact.channel}`), status: t(lang, `status.${contact.status}`) });
  const fields: Array<[string, string]> = [
    [t(lang, 'log.customer'), contact.customer.name],
    [t(lang, 'log.phone'), phoneFor(contact.customer, actor, 'private')],
    [t(lang, 'log.owner'), mention(contact.ownerUserId)],
    [t(lang, 'log.receivedAt'), formatDateTime(contact.receivedAt, team.zone)],
    [t(lang, 'log.due'), dueText(contact.firstResponseDueAt, team, lang, null, t(lang, 'log.noResponseWindow'))],
  ];
  if (contact.resolutionDueAt) fields.push([t(lang, 'log.resolutionDue'), formatDateTime(contact.resolutionDueAt, team.zone)]);
  if (contact.firstRespondedAt) fields.push([t(lang, 'show.responded'), formatDateTime(contact.firstRespondedAt, team.zone)]);
  if (contact.resolvedAt) fields.push([t(lang, 'show.resolved'), formatDateTime(contact.resolvedAt, team.zone)]);
  fields.push(...complaintFields(contact, team, lang));
  if (contact.note) fields.push([t(lang, 'log.note'), contact.note]);
  return {
    text: title,
    // Asked privately, by someone who may read the contact; full numbers (in every field: notes,
    // plans, history) only for the owner, a supervisor or a manager — not a colleague covering.
    revealsPhones: mayReadFullPhone(actor, contact.customer.ownerUserId, 'private'),
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
  nextOf: (c: Contact) => ClockLeft | null,
  more = 0,
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
        ? { kind: 'list', items: contacts.map((c) => `${formatDateTime(c.receivedAt, team.zone)} · ${contactLine(c, team, lang, nextOf(c))}${c.note ? ` · ${c.note}` : ''}`) }
        : { kind: 'text', text: t(lang, 'customer.none') },
    );
  }
  if (more > 0) blocks.push({ kind: 'context', text: t(lang, 'customer.more', { count: more }) });
  // Only customers the asker may see reach this view, privately; full numbers only where they are theirs to read.
  const reveals = entries.every((e) => mayReadFullPhone(actor, e.customer.ownerUserId, 'private'));
  return { text: entries.map((e) => t(lang, 'customer.title', { name: e.customer.name })).join(' / '), blocks, revealsPhones: reveals };
}
