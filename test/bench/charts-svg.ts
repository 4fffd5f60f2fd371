import * as echarts from 'echarts/dist/echarts.esm.min.mjs';
import type { ChartSpec } from '../../src/core/charts';
import { optionOf } from '../../src/charts/option';

/** echarts' layout of a chart alone, to SVG text: the part of a draw before resvg. */
export function renderSvg(spec: ChartSpec): string {
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width: 800, height: 440 });
  chart.setOption(optionOf(spec));
  const svg = chart.renderToSVGString();
  chart.dispose();
  return svg;
}
