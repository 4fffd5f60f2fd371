import type { DateTime } from 'luxon';
import type { Ratio } from './ratio';
import { resolvedWithin24h, type Contact } from './model';

const DAY_MS = 86_400_000;

/** When a contact's 24 h resolution is settled: at its resolution if that came within 24 h of receipt, else when the 24 h ran out. */
function resolution24hDecidedAt(contact: Contact): DateTime {
  return resolvedWithin24h(contact) ? contact.resolvedAt! : contact.receivedAt.plus({ milliseconds: DAY_MS });
}

/**
 * The 24 h resolution rate (24 小时解决率), one definition wherever it is shown (the daily
 * digest, `/cs kpi`, the weekly summary): of the contacts whose outcome is settled by `asOf`
 * — resolved within 24 h of receipt, or 24 h past receipt without — the share resolved within
 * 24 h. One still inside its 24 h and unresolved counts nowhere yet. `since`, when given, keeps
 * the outcomes settled from then on (a day's or a week's digest); without it the caller has
 * chosen the contacts (the KPIs: those received in the period).
 */
export function resolution24hRate(contacts: readonly Contact[], asOf: DateTime, since: DateTime | null = null): Ratio {
  const settled = contacts.filter((c) => {
    const at = resolution24hDecidedAt(c);
    return at <= asOf && (since === null || at >= since);
  });
  return { n: settled.filter(resolvedWithin24h).length, d: settled.length };
}
