import type { DateTime } from 'luxon';
import type { Contact } from './model';
import { rateOf, type Ratio } from './digest';
import { resolution24hRate } from './resolution-24h';

/** A contact of the period with what the KPIs need beyond the contact itself. */
export interface KpiContact {
  readonly contact: Contact;
  /** The same customer came back within 7 days of this contact (not a first-contact resolution). */
  readonly contactedAgain: boolean;
}

export type KpiName = 'firstResponse' | 'resolution24h' | 'resolutionRate' | 'fcr' | 'complaints' | 'followupRate' | 'satisfaction' | 'satisfiedShare';

/** One KPI: its value, how it was reached, and whether it meets the seeds' target where there is one. */
export type Kpi =
  | { readonly name: KpiName; readonly kind: 'share'; readonly ratio: Ratio; readonly target: number | null; readonly met: boolean | null }
  | { readonly name: KpiName; readonly kind: 'count'; readonly count: number; readonly target: number | null; readonly met: boolean | null }
  | { readonly name: KpiName; readonly kind: 'average'; readonly average: number | null; readonly n: number; readonly target: number | null; readonly met: boolean | null };

/** Targets from DOMAIN.md: 24 h resolution ≥ 90 %, satisfaction ≥ 4.5 and ≥ 90 % satisfied, complaints: goal zero. */
export const KPI_TARGETS = { resolution24h: 0.9, satisfaction: 4.5, satisfiedShare: 0.9, complaints: 0 } as const;
/** A follow-up score from which the customer counts as satisfied (4 or 5 of 5). */
const SATISFIED_FROM = 4;

/** A contact is resolved at first contact when its customer does not come back within this long. */
const FIRST_CONTACT_WINDOW_MS = 7 * 86_400_000;

/**
 * A contact closed as it was logged, with no clock: a call without a number (nobody can call
 * back). It is in the call log, but no KPI is about it — counted, it would be a resolution
 * nobody made.
 */
const closedWhenLogged = (c: Contact) => c.firstResponseDueAt === null && c.resolutionDueAt === null && c.resolvedAt !== null && c.resolvedAt <= c.loggedAt;

/**
 * The seeds' KPIs over the contacts received in a period, as they stand at `now`.
 * A clock still running counts in no share until it is met or runs out; so does a
 * first-contact resolution until its customer came back or 7 days passed.
 */
export function computeKpis(all: readonly KpiContact[], now: DateTime): Kpi[] {
  const rows = all.filter((r) => !closedWhenLogged(r.contact));
  const contacts = rows.map((r) => r.contact);
  const share = (name: KpiName, ratio: Ratio, target: number | null = null): Kpi => {
    const rate = rateOf(ratio);
    return { name, kind: 'share', ratio, target, met: target === null || rate === null ? null : rate >= target };
  };

  const withWindow = contacts.filter((c) => c.firstResponseDueAt !== null);
  const respondedInTime = (c: Contact) => c.firstRespondedAt !== null && c.firstRespondedAt <= c.firstResponseDueAt!;
  const responseDecided = withWindow.filter((c) => c.firstRespondedAt !== null || now >= c.firstResponseDueAt!);

  const resolved = contacts.filter((c) => c.resolvedAt !== null);
  // Settled once the customer came back (not resolved at first contact) or the 7 days passed without.
  const firstContactSettled = rows.filter((r) => r.contact.resolvedAt !== null && (r.contactedAgain || now.toMillis() - r.contact.receivedAt.toMillis() >= FIRST_CONTACT_WINDOW_MS));

  const complaints = contacts.filter((c) => c.channel === 'complaint');
  // A follow-up counts once it is done or its clock has run out: one still due is in no share yet.
  const followupDecided = complaints.filter((c) => c.resolvedAt !== null && (c.complaint.followedUpAt !== null || (c.complaint.followupDueAt !== null && now >= c.complaint.followupDueAt)));
  const scored = complaints.filter((c) => c.complaint.satisfaction !== null);
  const average = scored.length ? scored.reduce((sum, c) => sum + c.complaint.satisfaction!, 0) / scored.length : null;

  return [
    share('firstResponse', { n: responseDecided.filter(respondedInTime).length, d: responseDecided.length }),
    share('resolution24h', resolution24hRate(contacts, now), KPI_TARGETS.resolution24h),
    share('resolutionRate', { n: resolved.length, d: contacts.length }),
    share('fcr', { n: firstContactSettled.filter((r) => !r.contactedAgain).length, d: firstContactSettled.length }),
    { name: 'complaints', kind: 'count', count: complaints.length, target: KPI_TARGETS.complaints, met: complaints.length <= KPI_TARGETS.complaints },
    share('followupRate', { n: followupDecided.filter((c) => c.complaint.followedUpAt !== null).length, d: followupDecided.length }),
    { name: 'satisfaction', kind: 'average', average, n: scored.length, target: KPI_TARGETS.satisfaction, met: average === null ? null : average >= KPI_TARGETS.satisfaction },
    share('satisfiedShare', { n: scored.filter((c) => c.complaint.satisfaction! >= SATISFIED_FROM).length, d: scored.length }, KPI_TARGETS.satisfiedShare),
  ];
}
