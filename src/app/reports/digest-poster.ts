import type { Kysely } from 'kysely';
import { DateTime } from 'luxon';
import type { Database } from '../../../db/database';
import { reportRepository } from '../../../db/repositories/reports';
import { teamRepository } from '../../../db/repositories/teams';
import { DeliveryError, type ChatGateway } from '../../chat/gateway';
import { createPacer, type Pacer } from '../../chat/pacer';
import type { Clock } from '../../core/time/clock';
import { dailyComplaintsChart, openByAgeChart } from '../../core/charts';
import { digestMoment, type Digest } from '../../core/digest';
import { complaintDays } from '../../core/trends';
import type { Contact, Platform, Team } from '../../core/model';
import type { Logger } from '../../runtime/logger';
import type { Metrics } from '../../runtime/metrics';
import { chartsWanted, postCharts, type DrawChart } from './chart-posts';
import { digestMessage } from './report-views';
import { buildDigests } from './reports';

export interface DigestPosterDeps {
  /** Whose digests this process posts: its own platform's teams'. */
  readonly platform: Platform;
  readonly db: Kysely<Database>;
  readonly gateway: ChatGateway;
  readonly clock: Clock;
  readonly logger: Logger;
  /** How long a replica may hold a digest it claimed before another may take it over. */
  readonly leaseMs?: number;
  /** The process's waits imposed by the platform (shared with the reminders). */
  readonly pacer?: Pacer;
  /** The operator's counters (none by default). */
  readonly metrics?: Metrics;
  /** Draws a chart (the lazy renderer by default; tests may stand in). */
  readonly draw?: DrawChart;
}

/** How long a digest whose post failed waits before the next try. */
const RETRY_AFTER_MS = 2 * 60_000;

/** Posted this long after its moment, a digest (or a weekly summary) says it is late. */
export const LATE_AFTER_MS = 5 * 60_000;

/**
 * Posts each team's daily complaint digest to its channel once its local moment has
 * come: today's, and yesterday's if the bot was down through it (marked late). A
 * claim per team and date makes it once across replicas; a post the chat refused is
 * tried again a little later.
 */
export function createDigestPoster(deps: DigestPosterDeps) {
  const { db, gateway, clock, logger } = deps;
  const leaseMs = deps.leaseMs ?? 120_000;
  const pacer = deps.pacer ?? createPacer(clock);

  async function postDue(): Promise<{ posted: number; failed: number }> {
    // A replica that cannot send (WeCom: another holds the connection) leaves the digests to one that can.
    if (gateway.canSend && !gateway.canSend()) return { posted: 0, failed: 0 };
    const now = clock.now();
    const due: Array<{ team: Team; day: string; moment: DateTime }> = [];
    for (const { team, createdAt } of await teamRepository.withDigest(db, deps.platform)) {
      const today = now.setZone(team.zone).startOf('day');
      for (const day of [today.minus({ days: 1 }).toISODate()!, today.toISODate()!]) {
        const moment = team.settings.digestTime ? digestMoment(day, team.settings.digestTime, team.zone) : null;
        if (moment && moment <= now && moment.toJSDate() >= createdAt) due.push({ team, day, moment });
      }
    }
    const taken = await reportRepository.digestDaysTaken(db, [...new Set(due.map((d) => d.team.id))], [...new Set(due.map((d) => d.day))], now);
    const claimed: typeof due = [];
    for (const entry of due) {
      if (taken.has(`${entry.team.id}:${entry.day}`)) continue;
      if (await reportRepository.claimDigest(db, entry.team.id, entry.day, entry.moment, now, leaseMs)) claimed.push(entry);
    }
    let posted = 0;
    let failed = 0;
    // Charts are drawn once every team's text is out: no team's digest waits on another's pictures.
    const charts: Array<() => Promise<void>> = [];
    // One read of the complaints per date, for every team posting that date's digest.
    for (const day of new Set(claimed.map((c) => c.day))) {
      const entries = claimed.filter((c) => c.day === day);
      const digests = await buildDigests(db, entries, now);
      const charted = await chartComplaints(
        entries.filter((e) => chartsWanted(gateway, e.team)),
        day,
      );
      for (const { team, moment } of entries) {
        const late = now.toMillis() - moment.toMillis() > LATE_AFTER_MS;
        const message = digestMessage(digests.get(team.id)!, team, { lateFrom: late ? moment : null });
        const recipient = `channel:${team.channelId}`;
        try {
          const held = pacer.heldUntil(recipient);
          if (held !== null) throw new DeliveryError('held: the platform asked to wait', held - clock.now().toMillis());
          await gateway.send({ to: { kind: 'channel', channel: team.channelId }, message });
          await reportRepository.markDigestPosted(db, team.id, day, clock.now(), late);
          deps.metrics?.digestPosted(deps.platform, late);
          posted++;
          // Posted is posted: nothing about its charts makes the digest go out again.
          const digest = digests.get(team.id)!;
          charts.push(() => digestCharts(team, digest, charted.get(team.id), now).catch((error: unknown) => logger.warn({ err: error, teamId: team.id }, 'digest charts not sent')));
        } catch (error) {
          failed++;
          if (error instanceof DeliveryError) pacer.refused(recipient, error);
          // Not every minute against a chat that is down, or a channel the bot was removed from;
          // and never before a wait the platform asked for.
          const waitMs = Math.max(RETRY_AFTER_MS, error instanceof DeliveryError ? (error.retryAfterMs ?? 0) : 0);
          const retryAt = clock.now().plus({ milliseconds: waitMs });
          logger.warn({ err: error, teamId: team.id, day, retryAt: retryAt.toISO() }, 'digest not posted; it is tried again later');
          await reportRepository.retryDigestAt(db, team.id, day, retryAt);
        }
      }
    }
    for (const draw of charts) await draw();
    if (posted) logger.info({ posted, failed }, 'daily digests posted');
    return { posted, failed };
  }

  /**
   * The complaints of the 14 days up to `day` of the teams whose digest carries charts, in one
   * read of its own: the digest's own read (7 days) stays as it is.
   */
  async function chartComplaints(entries: ReadonlyArray<{ team: Team }>, day: string) {
    if (entries.length === 0) return new Map<number, Contact[]>();
    const starts = entries.map(({ team }) => DateTime.fromISO(day, { zone: team.zone }).startOf('day'));
    const from = DateTime.min(...starts.map((s) => s.minus({ days: 13 })))!;
    const to = DateTime.max(...starts.map((s) => s.plus({ days: 1 })))!;
    return reportRepository
      .complaintsReceivedByTeam(
        db,
        entries.map((e) => e.team.id),
        from,
        to,
      )
      .catch((error: unknown) => {
        logger.warn({ err: error }, 'digest charts: complaints not read; the digests go out as text');
        return new Map<number, Contact[]>();
      });
  }

  /** After a digest's text: its 14 days of complaints by category, and its open complaints by age. */
  async function digestCharts(team: Team, digest: Digest, complaints: readonly Contact[] | undefined, now: DateTime): Promise<void> {
    if (!complaints) return;
    const days = complaintDays(complaints, digest.day, team.zone, now);
    await postCharts({ ...deps, gateway }, team, { kind: 'channel', channel: team.channelId }, [
      { spec: dailyComplaintsChart(digest, days, team.name, team.lang), name: `digest-${digest.day}.png` },
      { spec: openByAgeChart(digest, team.name, team.lang), name: `digest-open-${digest.day}.png` },
    ]);
  }

  return Object.freeze({ postDue });
}

export type DigestPoster = ReturnType<typeof createDigestPoster>;
