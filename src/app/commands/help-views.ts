import type { DateTime } from 'luxon';
import type { Message } from '../../chat/message';
import type { UserError } from '../../core/result';
import { t, type Lang, type Params } from '../../i18n';

/** The answers that are the bot's own catalogue: help, the short help, a user error with the right form. */

/** What someone typed, quoted back in an answer: no longer than it needs to be recognised. */
const ECHO_MAX_CHARS = 40;
const echo = (value: string | number) => (typeof value === 'string' && [...value].length > ECHO_MAX_CHARS ? `${[...value].slice(0, ECHO_MAX_CHARS).join('')}…` : value);

/**
 * The dates usage examples show (`{yesterday}`, `{tomorrow}`, `{lastMonth}`, `{nextYear}`),
 * from the clock in the team's zone, so an example never names a day that makes it wrong.
 */
export function exampleDates(now: DateTime, zone: string): Params {
  const local = now.setZone(zone);
  return {
    yesterday: local.minus({ days: 1 }).toISODate()!,
    tomorrow: local.plus({ days: 1 }).toISODate()!,
    lastMonth: local.minus({ months: 1 }).toFormat('yyyy-MM'),
    nextYear: String(local.year + 1),
  };
}

/** What a dated example shows where no clock was at hand: the form itself. */
const EXAMPLE_FORMS: Params = { yesterday: 'YYYY-MM-DD', tomorrow: 'YYYY-MM-DD', lastMonth: 'YYYY-MM', nextYear: 'YYYY' };

/** A user error as a reply: what was wrong, then the right form with an example. */
export function errorMessage(error: UserError, lang: Lang, examples: Params = EXAMPLE_FORMS): Message {
  const params = error.params ? Object.fromEntries(Object.entries(error.params).map(([k, v]) => [k, echo(v)])) : undefined;
  const lines = [t(lang, error.key, params)];
  if (error.usage) lines.push(t(lang, 'usage.correctForm', { usage: t(lang, error.usage, examples) }));
  const text = lines.join('\n');
  // Written for the asker alone, from the catalogue and what they typed: its example numbers are
  // the bot's own text, and what they typed is theirs. Nothing in it comes from another's customer.
  return { text, blocks: lines.map((line) => ({ kind: 'text', text: line })), revealsPhones: true };
}

export function helpMessage(lang: Lang, examples: Params = EXAMPLE_FORMS): Message {
  const usages = (
    [
      'usage.log',
      'usage.logPrompt',
      'usage.reply',
      'usage.resolve',
      'usage.note',
      'usage.mine',
      'usage.overdue',
      'usage.snooze',
      'usage.assign',
      'usage.show',
      'usage.customer',
      'usage.complaint',
      'usage.confirm',
      'usage.plan',
      'usage.approve',
      'usage.followup',
      'usage.link',
      'usage.digest',
      'usage.kpi',
      'usage.export',
      'usage.checkin',
      'usage.away',
      'usage.rotation',
      'usage.visit',
      'usage.done',
      'usage.cover',
      'usage.handover',
      'usage.team',
      'usage.intake',
      'usage.phone',
    ] as const
  ).map((key) => t(lang, key, examples));
  return {
    text: t(lang, 'help.title'),
    // The catalogue's own examples: shown as written, so a copied example is a whole number.
    revealsPhones: true,
    blocks: [
      { kind: 'text', text: t(lang, 'help.title') },
      { kind: 'list', items: usages },
      { kind: 'context', text: `${t(lang, 'help.channels')}\n${t(lang, 'help.complaints')}\n${t(lang, 'help.ids')}` },
    ],
  };
}

/** The answer to an empty line: what the bot is, the commands used most, and how to see them all. */
export function shortHelpMessage(lang: Lang): Message {
  const text = t(lang, 'help.short');
  // The catalogue's own examples, for the asker alone.
  return { text, blocks: [{ kind: 'text', text }], revealsPhones: true };
}
