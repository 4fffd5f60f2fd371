import type { DateTime } from 'luxon';
import { reportRepository } from '../../../db/repositories/reports';
import { rotationRepository } from '../../../db/repositories/rotation';
import { teamRepository } from '../../../db/repositories/teams';
import type { Message } from '../../chat/message';
import { rateOf } from '../../core/digest';
import { weeklyConsultantsChart, weeklyKpisChart } from '../../core/charts';
import type { Kpi, KpiName } from '../../core/kpi';
import type { Team } from '../../core/model';
import { weeklyKpis } from '../../core/trends';
import { consultantWeeks } from '../../core/weekly-figures';
import { weeklyMoment } from '../../core/weekly';
import { formatDateTime } from '../../core/time/time-of-day';
import { t } from '../../i18n';
import { chartsWanted, postCharts, type ChartPost } from '../reports/chart-posts';
import { LATE_AFTER_MS, type DigestPosterDeps } from '../reports/digest-poster';
import { percentText } from '../reports/report-views';
import { mention } from '../commands/mention';

/** As the daily digest's poster: whose teams, where, and how long a claim holds. */
export type WeeklyPosterDeps = Pick<DigestPosterDeps, 'platform' | 'db' | 'gateway' | 'clock' | 'logger' | 'leaseMs' | 'draw'>;

/** The weeks of team KPIs the summary's chart draws; its text shows the last two. */
const KPI_WEEKS = 8;

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
    // Charts are drawn once every team's summary is out: no team waits on another's pictures.
    const charted: Array<() => Promise<unknown>> = [];
    for (const { team, createdAt } of await teamRepository.withWeekly(db, deps.platform)) {
      const { moment, week } = weeklyMoment(team.settings.weekly!, team.zone, now);
      if (moment > now || moment.toJSDate() < createdAt) continue;
      if (!(await reportRepository.claimWeekly(db, team.id, week, now, leaseMs))) continue;
      try {
        const { message, charts } = await summaryOf(team, moment);
        // Posted well after its moment (the bot was down through it): it says so, as the digest does.
        const late = now.toMillis() - moment.toMillis() > LATE_AFTER_MS;
        const lateLine = { kind: 'context' as const, text: t(team.lang, 'digest.late', { at: formatDateTime(moment, team.zone) }) };
        await gateway.send({ to: { kind: 'channel', channel: team.channelId }, message: late ? { ...message, blocks: [...message.blocks, lateLine] } : message });
        await reportRepository.markWeeklyPosted(db, team.id, week, clock.now());
        posted++;
        charted.push(() =>
          postCharts(deps, team, { kind: 'channel', channel: team.channelId }, charts).catch((error: unknown) => logger.warn({ err: error, teamId: team.id }, 'weekly charts not sent')),
        );
      } catch (error) {
        logger.warn({ err: error, teamId: team.id }, 'weekly summary not posted; trying again later');
        await reportRepository.retryWeeklyAt(db, team.id, week, clock.now().plus({ milliseconds: RETRY_AFTER_MS })).catch(() => {});
      }
    }
    for (const draw of charted) await draw();
    if (posted) logger.info({ posted }, 'weekly summaries posted');
    return { posted };
  }

  /**
   * The seven days up to the moment (weekends included, a sales office's busiest days), per
   * consultant, and the team's KPIs beside the seven days before; with the charts of the same
   * figures (consultants, and the team's KPIs over the last eight weeks).
   */
  async function summaryOf(team: Team, moment: DateTime): Promise<{ message: Message; charts: ChartPost[] }> {
    const lang = team.lang;
    const now = clock.now();
    const from = moment.minus({ weeks: 1 });
    const [contacts, visits, forfeits, members, kpiRows, followedUp] = await Promise.all([
      reportRepository.contactsReceived(db, team.id, from, moment),
      rotationRepository.visits(db, team.id, from.toJSDate(), moment.toJSDate()),
      rotationRepository.forfeits(db, team.id, from.toJSDate(), moment.toJSDate()),
      teamRepository.members(db, team.id),
      reportRepository.kpiContacts(db, team.id, moment.minus({ weeks: KPI_WEEKS }), moment, null),
      reportRepository.followedUpBetween(db, team.id, from, moment),
    ]);
    const specialists = members.filter((m) => m.active !== false && m.role === 'specialist').map((m) => m.userId);
    // One model for the text and its chart: they cannot tell different stories.
    const weeks = consultantWeeks({ specialists, contacts, visits, forfeits, followedUp }, now);
    const rows = weeks.map((w) =>
      t(lang, 'weekly.row', {
        user: mention(w.userId),
        visits: w.visits,
        forfeits: w.forfeits,
        logged: w.logged,
        onTime: `${w.onTime.n}/${w.onTime.d}`,
        complaintsResolved: w.complaintsResolved,
        complaints: w.complaints,
        followups: w.followups,
      }),
    );
    const head = { team: team.name, from: from.toISODate()!, to: moment.toISODate()! };
    const title = t(lang, 'weekly.title', head);
    // The last of the eight weeks is this one, the one before it last week.
    const points = weeklyKpis(kpiRows, moment, KPI_WEEKS, now);
    const nowKpis = points.at(-1)!.kpis;
    const lastKpis = points.at(-2)!.kpis;
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
    const message: Message = {
      text: title,
      blocks: [{ kind: 'header', text: title }, empty ? { kind: 'text', text: t(lang, 'weekly.none') } : { kind: 'list', items: rows }, { kind: 'context', text: kpis }],
      lang,
    };
    if (!chartsWanted(gateway, team)) return { message, charts: [] };
    // The chart names people as they know each other, never by a platform id where a name is known.
    const names = await teamRepository.displayNames(
      db,
      deps.platform,
      weeks.map((w) => w.userId),
    );
    return {
      message,
      charts: [
        { spec: weeklyConsultantsChart(empty ? [] : weeks, names, head, lang), name: `weekly-${head.to}.png` },
        { spec: weeklyKpisChart(points, team.name, lang), name: `weekly-kpis-${head.to}.png` },
      ],
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
    // As the KPI answer and the chart beside it write it: 89.6% is under the 90% line, not "90%✗".
    value = rate === null ? '—' : percentText(rate);
  } else if (kpi.kind === 'average') value = kpi.average === null ? '—' : kpi.average.toFixed(2);
  else value = String(kpi.count);
  return kpi.met === null ? value : `${value}${kpi.met ? '✓' : '✗'}`;
}

export type WeeklyPoster = ReturnType<typeof createWeeklyPoster>;
