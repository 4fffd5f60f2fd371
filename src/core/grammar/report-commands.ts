import { parseIsoDay } from '../time/days';
import { parseUserRef, type UserRef } from './command-parts';
import { parsePeriod, periodText, type PeriodSpec } from '../time/period';
import { fail, ok, type Result } from '../result';

/** Reports: the daily complaint digest, KPIs and the CSV export. */
export type ReportCommand =
  | { readonly kind: 'digest'; readonly day: string | null }
  | { readonly kind: 'digestAck'; readonly day: string }
  /** With `chart`, a chart of each day of the period comes with the figures. */
  | { readonly kind: 'kpi'; readonly period: PeriodSpec; readonly user: UserRef | null; readonly chart: boolean }
  /** The contacts and complaints, the visitor log (来访) or the call log (来电). */
  | { readonly kind: 'export'; readonly period: PeriodSpec; readonly what: 'contacts' | 'visits' | 'calls' };

const VERBS: Readonly<Record<string, 'digest' | 'kpi' | 'export'>> = {
  digest: 'digest',
  日报: 'digest',
  kpi: 'kpi',
  指标: 'kpi',
  绩效: 'kpi',
  export: 'export',
  导出: 'export',
};

const EXPORTS: Readonly<Record<string, 'visits' | 'calls'>> = { visits: 'visits', 来访: 'visits', 来访记录: 'visits', calls: 'calls', 来电: 'calls', 来电记录: 'calls' };

/** The word that adds a chart to `/cs kpi`. */
const CHART_WORDS: readonly string[] = ['chart', 'charts', 'graph', '图表', '趋势图', '图'];

/** `/cs kpi` as a command again, with the chart: what the KPI answer's chart button runs. */
export function kpiChartCommand(period: PeriodSpec, user: UserRef | null): string {
  return ['kpi', periodText(period), ...(user ? [`<@${user.id}>`] : []), 'chart'].join(' ');
}

/** Parses a report command from its words, the verb first. */
export function parseReportCommand(words: readonly string[]): Result<ReportCommand> {
  const verb = VERBS[(words[0] ?? '').toLowerCase()];
  const args = words.slice(1);
  switch (verb) {
    case 'digest': {
      const ack = ['ack', '已阅', 'read'].includes((args[0] ?? '').toLowerCase());
      const word = ack ? args[1] : args[0];
      if (!ack && (word === undefined || ['today', '今天', '今日'].includes(word.toLowerCase()))) return ok({ kind: 'digest', day: null });
      const day = parseIsoDay(word ?? '');
      if (!day) return fail({ key: 'err.badDay', params: { value: word ?? '' }, usage: 'usage.digest' });
      if (!day.ok) return fail({ ...day.error, usage: 'usage.digest' });
      return ok(ack ? { kind: 'digestAck', day: day.value } : { kind: 'digest', day: day.value });
    }
    case 'kpi': {
      let user: UserRef | null = null;
      let periodWord: string | undefined;
      let chart = false;
      for (const word of args) {
        const ref = parseUserRef(word);
        if (ref && !user) user = ref;
        else if (!chart && CHART_WORDS.includes(word.toLowerCase())) chart = true;
        else if (periodWord === undefined) periodWord = word;
        else return fail({ key: 'err.unexpectedWord', params: { word }, usage: 'usage.kpi' });
      }
      const period = parsePeriod(periodWord ?? 'month');
      return period.ok ? ok({ kind: 'kpi', period: period.value, user, chart }) : fail({ ...period.error, usage: 'usage.kpi' });
    }
    case 'export': {
      const what = EXPORTS[(args[0] ?? '').toLowerCase()];
      const rest = what ? args.slice(1) : args;
      const period = parsePeriod(rest[0] ?? 'week');
      if (rest.length > 1) return fail({ key: 'err.unexpectedWord', params: { word: rest[1]! }, usage: 'usage.export' });
      return period.ok ? ok({ kind: 'export', period: period.value, what: what ?? 'contacts' }) : fail({ ...period.error, usage: 'usage.export' });
    }
    default:
      return fail({ key: 'err.unknownCommand', params: { word: words[0] ?? '' }, usage: 'usage.help' });
  }
}
