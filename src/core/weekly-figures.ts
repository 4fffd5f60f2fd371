import type { DateTime } from 'luxon';
import type { Contact } from './model';
import type { Ratio } from './ratio';

/** One consultant's week, as the weekly summary (周工作小结) lists it. */
export interface ConsultantWeek {
  readonly userId: string;
  readonly visits: number;
  readonly forfeits: number;
  readonly logged: number;
  /** First responses on time of the contacts they own, of those decided (a clock still running is in no share yet). */
  readonly onTime: Ratio;
  readonly complaints: number;
  readonly complaintsResolved: number;
  readonly followups: number;
}

/** What the weekly summary reads for its week. */
export interface WeekActivity {
  /** The team's active specialists, in the team's order; owners of the week's contacts are added after them. */
  readonly specialists: readonly string[];
  readonly contacts: readonly Contact[];
  readonly visits: ReadonlyArray<{ readonly user: string }>;
  readonly forfeits: ReadonlyMap<string, number>;
  readonly followedUp: readonly Contact[];
}

/** Per consultant, the week's figures the summary's text and its chart both show. */
export function consultantWeeks(week: WeekActivity, now: DateTime): ConsultantWeek[] {
  const people = [...week.specialists];
  for (const c of week.contacts) if (!people.includes(c.ownerUserId)) people.push(c.ownerUserId);
  const onTime = (c: Contact) => c.firstResponseDueAt !== null && c.firstRespondedAt !== null && c.firstRespondedAt <= c.firstResponseDueAt;
  const decided = (c: Contact) => c.firstResponseDueAt !== null && (c.firstRespondedAt !== null || c.firstResponseDueAt <= now);
  return people.map((userId) => {
    const owned = week.contacts.filter((c) => c.ownerUserId === userId);
    const complaints = owned.filter((c) => c.channel === 'complaint');
    return {
      userId,
      visits: week.visits.filter((v) => v.user === userId).length,
      forfeits: week.forfeits.get(userId) ?? 0,
      logged: week.contacts.filter((c) => c.loggedBy === userId).length,
      onTime: { n: owned.filter(onTime).length, d: owned.filter(decided).length },
      complaints: complaints.length,
      complaintsResolved: complaints.filter((c) => c.resolvedAt !== null).length,
      followups: week.followedUp.filter((c) => c.ownerUserId === userId).length,
    };
  });
}
