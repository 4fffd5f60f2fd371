import { t, type Lang } from '../../i18n';
import { KPI_TARGETS, type KpiName } from '../kpi';
import type { KpiPoint } from '../trends';
import type { ConsultantWeek } from '../weekly-figures';
import { kpiValue, percentOf, shortDay, type ChartSeries, type ChartSpec, type ChartTarget, type ChartUnit } from './spec';

/**
 * First responses on time: the 90 % the weekly summary's chart draws (issue 20). KPI_TARGETS
 * has no first-response target yet; when it gets one, this should read it.
 */
const FIRST_RESPONSE_TARGET = 0.9;

const TARGETS: Partial<Record<KpiName, { unit: ChartUnit; value: number }>> = {
  firstResponse: { unit: 'percent', value: FIRST_RESPONSE_TARGET * 100 },
  resolution24h: { unit: 'percent', value: KPI_TARGETS.resolution24h * 100 },
  satisfaction: { unit: 'score', value: KPI_TARGETS.satisfaction },
};

/** The KPIs a trend draws, each with its unit: shares in percent, satisfaction on the 5-point scale. */
const TREND: ReadonlyArray<{ name: KpiName; unit: ChartUnit }> = [
  { name: 'firstResponse', unit: 'percent' },
  { name: 'resolution24h', unit: 'percent' },
  { name: 'satisfaction', unit: 'score' },
];

/** The targets of the KPIs drawn; two at the same height are one line named for both. */
function targetsOf(names: readonly KpiName[], lang: Lang): ChartTarget[] {
  const lines: Array<{ unit: ChartUnit; value: number; names: string[] }> = [];
  for (const name of names) {
    const target = TARGETS[name];
    if (!target) continue;
    const same = lines.find((l) => l.unit === target.unit && l.value === target.value);
    if (same) same.names.push(t(lang, `kpi.${name}`));
    else lines.push({ ...target, names: [t(lang, `kpi.${name}`)] });
  }
  return lines.map((l) => ({
    unit: l.unit,
    value: l.value,
    name: t(lang, 'chart.target', { name: l.names.join(' / '), value: l.unit === 'percent' ? `${l.value}%` : String(l.value) }),
  }));
}

function trendSeries(points: readonly KpiPoint[], lang: Lang): ChartSeries[] {
  return TREND.map(({ name, unit }) => ({ name: t(lang, `kpi.${name}`), unit, shape: 'line', stacked: false, values: points.map((p) => kpiValue(p.kpis, name)) }));
}

/** `/cs kpi … chart`: per day of the period, first response on time, 24 h resolution and satisfaction, against their targets. */
export function kpiTrendChart(points: readonly KpiPoint[], who: string, lang: Lang): ChartSpec {
  return {
    kind: 'kpiTrend',
    lang,
    title: t(lang, 'chart.kpiTrend.title', { days: points.length, who }),
    categories: points.map((p) => shortDay(p.from.toISODate()!)),
    series: trendSeries(points, lang),
    targets: targetsOf(
      TREND.map((k) => k.name),
      lang,
    ),
    marked: null,
  };
}

/** The weekly summary's team KPIs of the last weeks against their targets, a week named by the day it ends. */
export function weeklyKpisChart(points: readonly KpiPoint[], team: string, lang: Lang): ChartSpec {
  return {
    kind: 'weeklyKpis',
    lang,
    title: t(lang, 'chart.weeklyKpis.title', { weeks: points.length, team }),
    categories: points.map((p) => t(lang, 'chart.weekEnding', { date: shortDay(p.to.toISODate()!) })),
    series: trendSeries(points, lang),
    targets: targetsOf(
      TREND.map((k) => k.name),
      lang,
    ),
    marked: null,
  };
}

/**
 * The weekly summary's consultants: visitors received and contacts logged (bars), and the
 * share of their first responses on time (bars on the percent axis) against the 90 % target.
 * `names` are how people know each other (display names); an id stands in for a missing one.
 */
export function weeklyConsultantsChart(
  weeks: readonly ConsultantWeek[],
  names: ReadonlyMap<string, string>,
  head: { readonly team: string; readonly from: string; readonly to: string },
  lang: Lang,
): ChartSpec {
  return {
    kind: 'weeklyConsultants',
    lang,
    title: t(lang, 'chart.weeklyConsultants.title', head),
    categories: weeks.map((w) => names.get(w.userId) ?? w.userId),
    series: [
      { name: t(lang, 'chart.visits'), unit: 'count', shape: 'bar', stacked: false, values: weeks.map((w) => w.visits) },
      { name: t(lang, 'chart.logged'), unit: 'count', shape: 'bar', stacked: false, values: weeks.map((w) => w.logged) },
      { name: t(lang, 'chart.onTime'), unit: 'percent', shape: 'bar', stacked: false, values: weeks.map((w) => percentOf(w.onTime)) },
    ],
    targets: targetsOf(['firstResponse'], lang),
    marked: null,
  };
}
