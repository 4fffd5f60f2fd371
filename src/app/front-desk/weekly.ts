import type { DateTime } from 'luxon';
import { reportRepository } from '../../../db/repositories/reports';
import { rotationRepository } from '../../../db/repositories/rotation';
import { teamRepository } from '../../../db/repositories/teams';
import type { Message } from '../../chat/message';
import { rateOf } from '../../core/digest';
import { computeKpis, type Kpi, type KpiName } from '../../core/kpi';
import type { Contact, Team } from '../../core/model';
import { weeklyMoment } from '../../core/weekly';
import { t } from '../../i18n';
import type { DigestPosterDeps } from '../reports/digest-poster';
import { mention } from '../commands/mention';

/** As the daily digest's poster: whose teams, where, and how long a claim holds. */
export type WeeklyPosterDeps = Pick<DigestPosterDeps, 'platform' | 'db' | 'gateway' | 'clock' | 'logger' | 'leaseMs'>;

/** A summary whose post failed is tried again this much later. */
const RETRY_AFTER_MS = 2 * 60_000;

/**
 * Posts each team's weekly work summary (周工作小结) to its channel once its moment of the
 * week has come (Friday 15:30 by default, before the weekly meeting): once across replicas
 * (a claim per team and ISO week), caught up the same week if the bot was down through it.
 */
export function createWeeklyPoster(deps: WeeklyPosterDeps) {
  const { db, gateway, clock, logger } = deps;
  const leaseMs = deps.leaseMs ?? 120_000;

  async function postDue(): Promise<{ posted: number }> {
    if (gateway.canSend && !gateway.canSend()) return { posted: 0 };
    const now = clock.now();
    let posted = 0;
    for (const { team, createdAt } of await teamRepository.withWeekly(db, deps.platform)) {
      const { moment, week } = weeklyMoment(team.settings.weekly!, team.zone, now);
      if (moment > now || moment.toJSDate() < createdAt) continue;
      if (!(await reportRepository.claimWeekly(db, team.id, week, now, leaseMs))) continue;
      try {
        await gateway.send({ to: { kind: 'channel', channel: team.channelId }, message: await summaryOf(team, moment) });
        await reportRepository.markWeeklyPosted(db, team.id, week, clock.now());
        posted++;
      } catch (error) {
        logger.warn({ err: error, teamId: team.id }, 'weekly summary not posted; trying again later');
        await reportRepository.retryWeeklyAt(db, team.id, week, clock.now().plus({ milliseconds: RETRY_AFTER_MS })).catch(() => {});
      }
    }
    if (posted) logger.info({ posted }, 'weekly summaries posted');
    return { posted };
  }

  /**
   * The seven days up to the moment (weekends included, a sales office's busiest days), per
   * consultant, and the team's KPIs beside the seven days before.
   */
  async function summaryOf(team: Team, moment: DateTime): Promise<Message> {
    const lang = team.lang;
    const from = moment.minus({ weeks: 1 });
    const lastFrom = moment.minus({ weeks: 2 });
    const [contacts, visits, forfeits, members, kpiNow, kpiLast] = await Promise.all([
      reportRepository.contactsReceived(db, team.id, from, moment),
      rotationRepository.visits(db, team.id, from.toJSDate(), moment.toJSDate()),
      rotationRepository.forfeits(db, team.id, from.toJSDate(), moment.toJSDate()),
      teamRepository.members(db, team.id),
      reportRepository.kpiContacts(db, team.id, from, moment, null),
      reportRepository.kpiContacts(db, team.id, lastFrom, from, null),
    ]);
    const followedUp = await reportRepository.followedUpBetween(db, team.id, from, moment);
    const people = members.filter((m) => m.active !== false && m.role === 'specialist').map((m) => m.userId);
    for (const c of contacts) if (!people.includes(c.ownerUserId)) people.push(c.ownerUserId);
    const onTime = (c: Contact) => c.firstResponseDueAt !== null && c.firstRespondedAt !== null && c.firstRespondedAt <= c.firstResponseDueAt;
    // As the KPI counts it: a clock still running is in no share yet.
    const decided = (c: Contact) => c.firstResponseDueAt !== null && (c.firstRespondedAt !== null || c.firstResponseDueAt <= clock.now());
    const rows = people.map((user) => {
      const owned = contacts.filter((c) => c.ownerUserId === user);
      const complaints = owned.filter((c) => c.channel === 'complaint');
      return t(lang, 'weekly.row', {
        user: mention(user),
        visits: visits.filter((v) => v.user === user).length,
        forfeits: forfeits.get(user) ?? 0,
        logged: contacts.filter((c) => c.loggedBy === user).length,
        onTime: `${owned.filter(onTime).length}/${owned.filter(decided).length}`,
        complaintsResolved: complaints.filter((c) => c.resolvedAt !== null).length,
        complaints: complaints.length,
        followups: followedUp.filter((c) => c.ownerUserId === user).length,
      });
    });
    const title = t(lang, 'weekly.title', { team: team.name, from: from.toISODate()!, to: moment.toISODate()! });
    const nowKpis = computeKpis(kpiNow, clock.now());
    const lastKpis = computeKpis(kpiLast, clock.now());
    const kpis = t(lang, 'weekly.kpis', {
      responseRate: show(nowKpis, 'firstResponse'),
      lastResponseRate: show(lastKpis, 'firstResponse'),
      resolvedRate: show(nowKpis, 'resolution24h'),
      lastResolvedRate: show(lastKpis, 'resolution24h'),
      followupRate: show(nowKpis, 'followupRate'),
      lastFollowupRate: show(lastKpis, 'followupRate'),
      satisfaction: show(nowKpis, 'satisfaction'),
      lastSatisfaction: show(lastKpis, 'satisfaction'),
    });
    const empty = contacts.length === 0 && visits.length === 0;
    return {
      text: title,
      blocks: [{ kind: 'header', text: title }, empty ? { kind: 'text', text: t(lang, 'weekly.none') } : { kind: 'list', items: rows }, { kind: 'context', text: kpis }],
      lang,
    };
  }

  return Object.freeze({ postDue });
}

/** One KPI as a figure: a share as a percentage, an average to one decimal, '—' without data; ✓/✗ against its target. */
function show(kpis: readonly Kpi[], name: KpiName): string {
  const kpi = kpis.find((k) => k.name === name);
  if (!kpi) return '—';
  let value: string;
  if (kpi.kind === 'share') {
    const rate = rateOf(kpi.ratio);
    value = rate === null ? '—' : `${Math.round(rate * 100)}%`;
  } else if (kpi.kind === 'average') value = kpi.average === null ? '—' : kpi.average.toFixed(1);
  else value = String(kpi.count);
  return kpi.met === null ? value : `${value}${kpi.met ? '✓' : '✗'}`;
}

export type WeeklyPoster = ReturnType<typeof createWeeklyPoster>;
