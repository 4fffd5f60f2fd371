import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Resvg } from '@resvg/resvg-js';
import * as echarts from 'echarts/dist/echarts.esm.min.mjs';
import type { ChartSpec } from '../core/charts';
import { FONT_FAMILY, optionOf } from './option';

/** How big a chart is drawn (CSS pixels) and how many device pixels each becomes: 2 keeps labels sharp on phones. */
export interface DrawOptions {
  readonly width?: number;
  readonly height?: number;
  readonly scale?: number;
}

export interface ChartImage {
  readonly png: Buffer;
  readonly width: number;
  readonly height: number;
}

const FONT_FILE = 'assets/fonts/charts-sc-subset.otf';

/** The shipped font, found upwards from this module: src/charts in a checkout, dist/chunks once built. */
function findFont(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++, dir = dirname(dir)) {
    const candidate = join(dir, FONT_FILE);
    if (existsSync(candidate)) return candidate;
  }
  throw new Error(`chart font ${FONT_FILE} not found above ${fileURLToPath(import.meta.url)}`);
}

const fontFile = findFont();

// Without a canvas echarts guesses text widths from Latin letters; CJK characters are about a
// full em wide, so the legend and axis labels would overlap. This estimate is close enough.
echarts.setPlatformAPI({
  measureText(text: string, font?: string) {
    const size = Number(/(\d+(?:\.\d+)?)px/.exec(font ?? '')?.[1] ?? 12);
    let em = 0;
    for (const ch of text) em += ch.charCodeAt(0) > 0x2e7f ? 1 : ch === ' ' ? 0.28 : /[0-9]/.test(ch) ? 0.56 : 0.55;
    return { width: em * size };
  },
});

/** A chart spec drawn to PNG: echarts lays it out as SVG (no DOM, no canvas), resvg rasterises it with the shipped font. */
export function renderChart(spec: ChartSpec, opts: DrawOptions = {}): ChartImage {
  const width = opts.width ?? 800;
  const height = opts.height ?? 440;
  const scale = opts.scale ?? 2;
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width, height });
  let svg: string;
  try {
    chart.setOption(optionOf(spec));
    svg = chart.renderToSVGString();
  } finally {
    chart.dispose();
  }
  const image = new Resvg(svg, {
    font: { loadSystemFonts: false, fontFiles: [fontFile], defaultFontFamily: FONT_FAMILY, sansSerifFamily: FONT_FAMILY },
    fitTo: { mode: 'zoom', value: scale },
    background: '#ffffff',
    logLevel: 'off',
  }).render();
  return { png: image.asPng(), width: image.width, height: image.height };
}
