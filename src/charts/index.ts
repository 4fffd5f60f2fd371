import type { ChartSpec } from '../core/charts';
import type { ChartImage, DrawOptions } from './render';

export type { ChartImage, DrawOptions };

/**
 * Draws a chart spec as a PNG. echarts and resvg (and the font) are loaded on the first
 * call, not at start-up: a bot that draws no chart never pays for them.
 */
export async function drawChart(spec: ChartSpec, opts: DrawOptions = {}): Promise<ChartImage> {
  const { renderChart } = await import('./render');
  return renderChart(spec, opts);
}
