import { DateTime } from 'luxon';
import type { Block, Button, Message, UserPicker } from '../../chat/message';
import type { HolidayData } from '../../core/time/calendar';
import { timeLeft } from '../../core/time/clocks';
import { formatDuration } from '../../core/time/duration';
import type { Contact, Team } from '../../core/model';
import type { NagStep } from '../../core/nag-plan';
import { maskPhone } from '../../core/phone';
import type { ClockKind } from '../../core/policy';
import { snoozeThatFits } from '../../core/time/snooze';
import { formatDateTime } from '../../core/time/time-of-day';
import { t, type Lang } from '../../i18n';
import { leftText, mention } from '../contacts/views';

/** One reminder in a message. */
export interface NagItem {
  readonly contact: Contact;
  readonly clock: ClockKind;
  readonly step: NagStep;
  readonly dueAt: Date;
  /** Set when the reminder goes out well after its moment (the bot was down): when it was meant for. */
  readonly lateFrom: Date | null;
}

/** Who reads it: the owner, a supervisor, a manager (DMs), or the whole team channel. */
export type NagAudience = 'owner' | 'supervisor' | 'manager' | 'channel';

const MAX_BUTTON_ITEMS = 5;

function itemLine(item: NagItem, team: Team, lang: Lang, audience: NagAudience, now: DateTime, holidays: HolidayData): string {
  const c = item.contact;
  const dueAt = DateTime.fromJSDate(item.dueAt);
  const due = formatDateTime(dueAt, team.zone);
  // A channel post never names the customer's phone; DMs show it masked.
  const who = audience === 'channel' || !c.customer.phone ? c.customer.name : `${c.customer.name} ${maskPhone(c.customer.phone)}`;
  // In the clock's own kind of time, as every other view shows it.
  const left = timeLeft(team, holidays, c, { clock: item.clock, dueAt }, now);
  const params = {
    step: t(lang, `nag.step.${item.step}`),
    id: c.id,
    channel: t(lang, `channel.${c.channel}`),
    customer: who,
    clock: t(lang, `clock.${item.clock}`),
    due,
    left: leftText(left, lang),
    owner: mention(c.ownerUserId),
  };
  const line = t(lang, audience === 'owner' ? 'nag.line' : 'nag.lineWithOwner', params);
  return item.lateFrom ? `${line} ${t(lang, 'nag.late', { at: formatDateTime(DateTime.fromJSDate(item.lateFrom), team.zone) })}` : line;
}

/** One message for one recipient, with every reminder due for them in this pass. */
export function nagMessage(items: readonly NagItem[], team: Team, lang: Lang, audience: NagAudience, now: Date, holidays: HolidayData): Message {
  // The header counts contacts: one contact's two clocks are one thing to do.
  const title = t(lang, `nag.title.${audience}`, { count: new Set(items.map((i) => i.contact.id)).size });
  const at = DateTime.fromJSDate(now);
  const blocks: Block[] = [
    { kind: 'header', text: title },
    { kind: 'list', items: items.map((i) => itemLine(i, team, lang, audience, at, holidays)) },
  ];
  // Every reader gets the buttons, the team's group too (DingTalk: card buttons): a press runs as
  // whoever pressed it, and someone who may not act on the contact gets the usual answer.
  const buttons: Button[] = [];
  const pickers: UserPicker[] = [];
  // One set of buttons per contact, however many of its clocks are in the message.
  const contacts = [...new Map(items.map((i) => [i.contact.id, items.filter((j) => j.contact.id === i.contact.id)])).values()];
  for (const clocks of contacts.slice(0, MAX_BUTTON_ITEMS)) {
    const id = clocks[0]!.contact.id;
    const has = (clock: NagItem['clock']) => clocks.some((i) => i.clock === clock);
    if (has('response')) buttons.push({ label: t(lang, 'nag.button.replied', { id }), command: `reply ${id}`, style: 'primary' });
    if (has('response') || has('resolution')) buttons.push({ label: t(lang, 'nag.button.resolved', { id }), command: `resolve ${id}` });
    // Snoozing delays the reminder, never the deadline: only before it, and only as long as fits.
    const dueSoon = clocks.find((i) => i.step === 'due_soon');
    const fits = dueSoon && audience === 'owner' ? snoozeThatFits(dueSoon.dueAt.getTime() - now.getTime(), null) : null;
    if (fits) {
      const minutes = Math.round(fits.ms / 60_000);
      buttons.push({ label: t(lang, 'nag.button.snooze', { id, duration: formatDuration(fits.ms, lang) }), command: `snooze ${id} ${minutes}m` });
    }
    if (audience === 'supervisor' || audience === 'manager') pickers.push({ label: t(lang, 'nag.button.reassign', { id }), command: `assign ${id}` });
  }
  blocks.push({ kind: 'buttons', buttons: buttons.slice(0, 25), pickers });
  if (audience === 'owner' && items.some((i) => i.clock === 'followup')) blocks.push({ kind: 'context', text: t(lang, 'nag.followupHint') });
  return { text: `${title}: ${items.map((i) => `#${i.contact.id}`).join(' ')}`, blocks, lang };
}
