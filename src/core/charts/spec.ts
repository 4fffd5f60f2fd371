import type { Lang } from '../../i18n';
import type { Kpi, KpiName } from '../kpi';
import { rateOf, type Ratio } from '../ratio';

/** Which chart a spec is: the renderer lays each out the same way, the benchmark and file names tell them apart. */
export type ChartKind = 'dailyComplaints' | 'openByAge' | 'weeklyConsultants' | 'weeklyKpis' | 'kpiTrend';

/** What a value counts: a number of things, a share in percent (0–100), or a 5-point score. Each unit has its own axis. */
export type ChartUnit = 'count' | 'percent' | 'score';

/** One named row of values, one per category; null where there is nothing to show (no data that day). */
export interface ChartSeries {
  readonly name: string;
  readonly unit: ChartUnit;
  readonly shape: 'bar' | 'line';
  /** Bars of stacked series stand on each other (complaints by category). */
  readonly stacked: boolean;
  readonly values: readonly (number | null)[];
}

/** A target drawn as a horizontal line on its unit's axis (90 % resolved within 24 h, satisfaction 4.5). */
export interface ChartTarget {
  readonly name: string;
  readonly unit: ChartUnit;
  readonly value: number;
}

/**
 * A chart as the bot means it, before any drawing: platform-neutral, every label already in
 * the reader's language, every number the same as the text beside it shows.
 */
export interface ChartSpec {
  readonly kind: ChartKind;
  readonly lang: Lang;
  readonly title: string;
  /** The x axis: days, weeks, consultants or age bands. */
  readonly categories: readonly string[];
  readonly series: readonly ChartSeries[];
  readonly targets: readonly ChartTarget[];
  /** One category picked out (the digest's day). */
  readonly marked: { readonly index: number; readonly label: string } | null;
}

/** A share as a percentage to one decimal, as the text shows it; null when nothing was decided. */
export function percentOf(ratio: Ratio): number | null {
  const rate = rateOf(ratio);
  return rate === null ? null : Math.round(rate * 1000) / 10;
}

/** A KPI's value in its chart unit: a share in percent, an average to two decimals, a count as it is. */
export function kpiValue(kpis: readonly Kpi[], name: KpiName): number | null {
  const kpi = kpis.find((k) => k.name === name);
  if (!kpi) return null;
  if (kpi.kind === 'share') return percentOf(kpi.ratio);
  if (kpi.kind === 'average') return kpi.average === null ? null : Math.round(kpi.average * 100) / 100;
  return kpi.count;
}

/**
 * Whether a chart has anything to draw. A share or an average of 0 is a figure (the worst week
 * is the one to see); counts that are all 0, or no figure at all, are better left to the text.
 */
export function hasData(spec: ChartSpec): boolean {
  return spec.series.some((s) => s.values.some((v) => v !== null && (v !== 0 || s.unit !== 'count')));
}

/** A local date as a short x label: `11-28`. */
export const shortDay = (isoDate: string) => isoDate.slice(5);
