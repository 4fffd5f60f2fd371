import { DateTime } from 'luxon';
import { reportRepository } from '../../../db/repositories/reports';
import { drawChart } from '../../charts';
import { textMessage, type Message } from '../../chat/message';
import { hasData, kpiTrendChart } from '../../core/charts';
import { dailyKpis } from '../../core/trends';
import { buildDigest, type Digest } from '../../core/digest';
import { computeKpis } from '../../core/kpi';
import type { Team } from '../../core/model';
import { resolvePeriod } from '../../core/time/period';
import { kpiChartCommand, type ReportCommand } from '../../core/grammar/report-commands';
import { formatDateTime } from '../../core/time/time-of-day';
import { t } from '../../i18n';
import type { Db } from '../../../db/database';
import { callsCsv, contactsCsv, visitsCsv } from './export-csv';
import { waitingVisitorRepository } from '../../../db/repositories/waiting-visitors';
import { rotationRepository } from '../../../db/repositories/rotation';
import { teamRepository } from '../../../db/repositories/teams';
import { withoutPhones } from './chart-posts';
import { digestMessage, kpiMessage } from './report-views';
import { answer, answerError, type CommandOutcome, type CommandServiceDeps, type Context } from '../commands/requests';
import { exampleDates } from '../contacts/views';

/** How far back a digest reads: its 7 days, and a day's margin for zones. */
const DIGEST_LOOKBACK_DAYS = 8;

/** The digests of several teams for one local date each, from one read of their complaints. */
export async function buildDigests(db: Db, entries: ReadonlyArray<{ team: Team; day: string }>, now: DateTime): Promise<Map<number, Digest>> {
  const out = new Map<number, Digest>();
  if (entries.length === 0) return out;
  const earliest = entries.map((e) => e.day).sort()[0]!;
  const since = DateTime.fromISO(earliest, { zone: 'utc' }).minus({ days: DIGEST_LOOKBACK_DAYS });
  const complaints = await reportRepository.digestComplaints(
    db,
    entries.map((e) => e.team.id),
    since,
  );
  for (const { team, day } of entries) {
    out.set(team.id, buildDigest(complaints.get(team.id) ?? [], day, team.zone, now, team.settings.groupWarn));
  }
  return out;
}

/** A message with one more line at its end. */
const withLine = (message: Message, line: string): Message => ({ ...message, blocks: [...message.blocks, { kind: 'context', text: line }] });

/** `/cs digest`, `/cs kpi`, `/cs export`: reports read from the team's contacts. */
export function createReports(deps: CommandServiceDeps) {
  const { db, clock } = deps;

  async function run(ctx: Context, command: ReportCommand): Promise<CommandOutcome> {
    switch (command.kind) {
      case 'digest':
        return showDigest(ctx, command.day);
      case 'digestAck':
        return acknowledge(ctx, command.day);
      case 'kpi':
        return kpi(ctx, command);
      case 'export':
        return exportCsv(ctx, command);
    }
  }

  async function showDigest(ctx: Context, day: string | null): Promise<CommandOutcome> {
    const now = clock.now();
    const { team } = ctx;
    const date = day ?? now.setZone(team.zone).toISODate()!;
    const digest = (await buildDigests(db, [{ team, day: date }], now)).get(team.id)!;
    const acks = await reportRepository.acknowledgements(db, team.id, date);
    return answer(digestMessage(digest, team, { acks }));
  }

  async function acknowledge(ctx: Context, day: string): Promise<CommandOutcome> {
    if (ctx.actor.role === 'specialist') return answerError({ key: 'err.notAcker' }, ctx.lang);
    const at = await reportRepository.acknowledge(db, ctx.team.id, day, ctx.actor.userId, clock.now());
    return answer(textMessage(t(ctx.lang, 'digest.ackDone', { date: day, at: formatDateTime(DateTime.fromJSDate(at), ctx.team.zone) })));
  }

  async function kpi(ctx: Context, command: Extract<ReportCommand, { kind: 'kpi' }>): Promise<CommandOutcome> {
    const now = clock.now();
    const { team, actor, lang } = ctx;
    let who: string | null = command.user?.id ?? null;
    if (actor.role === 'specialist') {
      if (who && who !== actor.userId) return answerError({ key: 'err.notAllowedKpi', usage: 'usage.kpi' }, lang, exampleDates(now, team.zone));
      who = actor.userId;
    }
    const period = resolvePeriod(command.period, team.zone, now);
    const rows = await reportRepository.kpiContacts(db, team.id, period.from, period.to, who);
    const counts = { contacts: rows.length, complaints: rows.filter((r) => r.contact.channel === 'complaint').length };
    const message = kpiMessage(computeKpis(rows, now), who, period, counts, lang);
    if (!command.chart) {
      // The button that draws the same figures per day, where the team has charts.
      const button = team.settings.charts ? [{ kind: 'buttons' as const, buttons: [{ label: t(lang, 'chart.button'), command: kpiChartCommand(command.period, command.user) }] }] : [];
      return answer({ ...message, blocks: [...message.blocks, ...button] });
    }
    if (!team.settings.charts) return answer(withLine(message, t(lang, 'chart.offForTeam')));
    // The same rows as the text, split by the day they came in: each day's figures as the text computes a period's.
    const names = who ? await teamRepository.displayNames(db, deps.platform, [who]) : new Map<string, string>();
    const spec = withoutPhones(kpiTrendChart(dailyKpis(rows, period, team.zone, now), who ? (names.get(who) ?? who) : team.name, lang));
    if (!hasData(spec)) return answer(withLine(message, t(lang, 'chart.noData')));
    try {
      const { png } = await (deps.draw ?? drawChart)(spec);
      const image = { to: { kind: 'dm' as const, user: actor.userId }, name: `kpi-${period.firstDay}-${period.lastDay}.png`, title: spec.title, png, lang };
      return { ...answer(withLine(message, t(lang, 'chart.follows'))), image };
    } catch (error) {
      deps.logger.warn({ err: error }, 'KPI chart not drawn');
      return answer(withLine(message, t(lang, 'chart.notDelivered', { why: error instanceof Error ? error.message : String(error) })));
    }
  }

  async function exportCsv(ctx: Context, command: Extract<ReportCommand, { kind: 'export' }>): Promise<CommandOutcome> {
    const { team, actor, lang } = ctx;
    if (actor.role === 'specialist') return answerError({ key: 'err.notExporter', usage: 'usage.export' }, lang);
    const now = clock.now();
    const period = resolvePeriod(command.period, team.zone, now);
    const received = await reportRepository.contactsReceived(db, team.id, period.from, period.to);
    const fullPhones = actor.role === 'manager';
    const contacts =
      command.what === 'visits' ? received.filter((c) => c.channel === 'visit') : command.what === 'calls' ? received.filter((c) => c.channel === 'call' || c.channel === 'missed') : received;
    let content: Buffer;
    // The owner and logger columns name colleagues as people know them, not by their platform ids.
    const receptions = command.what === 'visits' ? await rotationRepository.visits(db, team.id, period.from.toJSDate(), period.to.plus({ days: 1 }).toJSDate()) : [];
    const left = command.what === 'visits' ? await waitingVisitorRepository.leftBetween(db, team.id, period.from.toJSDate(), period.to.toJSDate()) : [];
    const ids = new Set([...contacts.flatMap((c) => [c.ownerUserId, c.loggedBy]), ...receptions.map((r) => r.user), ...left.flatMap((v) => [v.loggedBy, ...(v.ownerUserId ? [v.ownerUserId] : [])])]);
    const names = await teamRepository.displayNames(db, deps.platform, [...ids]);
    const nameOf = (userId: string) => names.get(userId) ?? userId;
    if (command.what === 'visits') content = visitsCsv(contacts, new Map(receptions.map((r) => [r.visitId, r])), left, team, lang, fullPhones, nameOf);
    else content = command.what === 'calls' ? callsCsv(contacts, team, lang, fullPhones, nameOf) : contactsCsv(contacts, team, lang, fullPhones, nameOf);
    const stamp = now.setZone(team.zone).toFormat('yyyyLLdd-HHmmss');
    deps.logger.info({ teamId: team.id, rows: contacts.length, fullPhones }, 'contacts exported');
    return {
      ...answer(
        textMessage(
          t(lang, 'export.done', {
            count: contacts.length,
            from: period.firstDay,
            to: period.lastDay,
            phones: t(lang, fullPhones ? 'export.phonesFull' : 'export.phonesMasked'),
          }),
        ),
      ),
      file: {
        user: actor.userId,
        name: `${command.what}-${period.firstDay}-${period.lastDay}-${stamp}.csv`,
        title: t(lang, command.what === 'visits' ? 'export.visitsTitle' : command.what === 'calls' ? 'export.callsTitle' : 'export.fileTitle', { from: period.firstDay, to: period.lastDay }),
        content,
        lang,
      },
    };
  }

  return Object.freeze({ run });
}
