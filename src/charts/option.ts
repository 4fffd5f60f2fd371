import type { EChartsOption, SeriesOption } from 'echarts';
import type { ChartSpec, ChartUnit } from '../core/charts';

/** The family name inside the shipped font (assets/fonts): what the SVG asks for and the renderer maps `sans-serif` to. */
export const FONT_FAMILY = 'CS Bot Chart Sans';

const PALETTE = ['#3b6fd8', '#f59f2a', '#37a36e', '#d9534f', '#8a63c9', '#4bb3c8', '#b07a3c', '#7f8c8d', '#c2c8d0'];
const TARGET_COLORS = ['#c0392b', '#7d3c98'];

const axisFor: Record<ChartUnit, object> = {
  count: { type: 'value', minInterval: 1 },
  percent: { type: 'value', min: 0, max: 100, axisLabel: { formatter: '{value}%' } },
  score: { type: 'value', min: 0, max: 5, interval: 1 },
};

/** A spec as an echarts option: one y axis per unit (two at most), targets as dashed lines, the marked day shaded. */
export function optionOf(spec: ChartSpec): EChartsOption {
  const units = [...new Set(spec.series.map((s) => s.unit))].slice(0, 2);
  const axisOf = (unit: ChartUnit) => Math.max(0, units.indexOf(unit));
  const anyBars = spec.series.some((s) => s.shape === 'bar');
  const series: SeriesOption[] = spec.series.map((s, i) =>
    s.shape === 'bar'
      ? { type: 'bar', name: s.name, data: [...s.values], yAxisIndex: axisOf(s.unit), stack: s.stacked ? 'total' : undefined, barMaxWidth: 36 }
      : { type: 'line', name: s.name, data: [...s.values], yAxisIndex: axisOf(s.unit), connectNulls: false, symbolSize: 6, lineStyle: { width: 2 }, z: 3 + i },
  );
  // Marks hang on the first series drawn on their axis; a target whose unit has no axis is left out.
  // Two targets can meet at one height (90 % and 4.5 of 5): their labels go to opposite ends, in their own colours.
  spec.targets.forEach((target, i) => {
    const host = series[spec.series.findIndex((s) => s.unit === target.unit)];
    if (!host) return;
    const hosting = host as { markLine?: { data: unknown[] } };
    hosting.markLine ??= markLine();
    const lines = hosting.markLine;
    const color = TARGET_COLORS[i % TARGET_COLORS.length];
    lines.data.push({ yAxis: target.value, name: target.name, lineStyle: { color }, label: { color, position: i % 2 ? 'insideStartBottom' : 'insideEndTop' } });
  });
  if (spec.marked && series[0]) {
    const category = spec.categories[spec.marked.index];
    Object.assign(series[0], {
      markArea: {
        silent: true,
        itemStyle: { color: 'rgba(59,111,216,0.10)' },
        label: { position: 'top', color: '#3b6fd8' },
        data: [[{ xAxis: category, name: spec.marked.label }, { xAxis: category }]],
      },
    });
  }
  return {
    animation: false,
    backgroundColor: '#ffffff',
    color: PALETTE,
    textStyle: { fontFamily: `${FONT_FAMILY}, sans-serif` },
    title: { text: spec.title, left: 'center', top: 10, textStyle: { fontSize: 17, fontWeight: 'normal', color: '#222', width: 760, overflow: 'truncate' } },
    legend: { top: 42, type: 'plain', itemWidth: 18, itemHeight: 10 },
    grid: { top: 88, left: 16, right: 24, bottom: 16, containLabel: true },
    xAxis: { type: 'category', data: [...spec.categories], boundaryGap: anyBars, axisLabel: categoryLabels(spec) },
    yAxis: (units.length ? units : (['count'] as ChartUnit[])).map((u, i) => ({ ...axisFor[u], splitLine: { show: i === 0 } })),
    series,
  } as EChartsOption;
}

/**
 * The x labels. Days may skip some (the neighbours say which is which); people may not: every
 * bar keeps its name, cut to its share of the width and tilted when there are many.
 */
function categoryLabels(spec: ChartSpec) {
  if (spec.kind !== 'weeklyConsultants') return { interval: 'auto', hideOverlap: true };
  const n = Math.max(1, spec.categories.length);
  const tilted = n > 8;
  return { interval: 0, rotate: tilted ? 35 : 0, width: tilted ? 110 : Math.max(36, Math.floor(720 / n) - 8), overflow: 'truncate', ellipsis: '…' };
}

function markLine() {
  return {
    silent: true,
    symbol: 'none',
    lineStyle: { type: 'dashed' as const, width: 1.5 },
    label: { formatter: '{b}' },
    data: [] as unknown[],
  };
}
