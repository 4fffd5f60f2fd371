import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { drawChart } from '../../src/charts';
import { optionOf } from '../../src/charts/option';
import type { ChartSpec } from '../../src/core/charts';

const spec = (title: string, lang: ChartSpec['lang'] = 'zh-CN'): ChartSpec => ({
  kind: 'kpiTrend',
  lang,
  title,
  categories: ['11-25', '11-26', '11-27'],
  series: [
    { name: '首次响应及时率', unit: 'percent', shape: 'line', stacked: false, values: [80, null, 95] },
    { name: '平均满意度', unit: 'score', shape: 'line', stacked: false, values: [4.2, 4.8, null] },
  ],
  targets: [{ name: '目标 90%', unit: 'percent', value: 90 }],
  marked: { index: 2, label: '日报当天' },
});

/** Pixels darker than the white background in a band of rows, over the middle half of the width. */
function inkIn(png: PNG, fromRow: number, toRow: number): number {
  let ink = 0;
  for (let y = fromRow; y < toRow; y++) {
    for (let x = Math.floor(png.width / 4); x < Math.floor((png.width * 3) / 4); x++) {
      const i = (y * png.width + x) * 4;
      if (png.data[i]! + png.data[i + 1]! + png.data[i + 2]! < 3 * 160) ink++;
    }
  }
  return ink;
}

describe(drawChart.name, () => {
  it('draws a chart with a Chinese title as a PNG whose title is there to read', async () => {
    const image = await drawChart(spec('近 30 天指标趋势 · 三期置业客服组'), { width: 800, height: 440, scale: 1 });
    expect(image.png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    const png = PNG.sync.read(image.png);
    expect([png.width, png.height]).toEqual([800, 440]);
    // The title sits in the top 40 pixels: drawn glyphs leave hundreds of dark pixels there.
    expect(inkIn(png, 0, 40)).toBeGreaterThan(300);
    // An empty title leaves that band white: the ink above is the title's.
    const blank = PNG.sync.read((await drawChart(spec(''), { scale: 1 })).png);
    expect(inkIn(blank, 0, 40)).toBe(0);
  });

  it('draws at twice the size by default, for phone screens', async () => {
    const image = await drawChart(spec('KPI trend · Phase 3', 'en'));
    expect([image.width, image.height]).toEqual([1600, 880]);
  });

  it('still draws a label with characters the shipped font lacks (a placeholder glyph stands in)', async () => {
    const image = await drawChart(spec('生僻字 𠀀龘 · emoji 📊'), { scale: 1 });
    expect(inkIn(PNG.sync.read(image.png), 0, 40)).toBeGreaterThan(100);
  });

  it('names every consultant under their bars, however many (a day axis may skip labels, a person may not)', () => {
    const people = Array.from({ length: 12 }, (_, i) => `顾问${i + 1}号张三丰`);
    const spec: ChartSpec = {
      kind: 'weeklyConsultants',
      lang: 'zh-CN',
      title: '周小结',
      categories: people,
      series: [{ name: '接待', unit: 'count', shape: 'bar', stacked: false, values: people.map(() => 1) }],
      targets: [],
      marked: null,
    };
    const axis = (optionOf(spec) as { xAxis: { axisLabel: { interval: unknown; overflow: string } } }).xAxis.axisLabel;
    expect(axis.interval).toBe(0);
    expect(axis.overflow).toBe('truncate');
    const days = (optionOf({ ...spec, kind: 'kpiTrend' }) as { xAxis: { axisLabel: { interval: unknown } } }).xAxis.axisLabel;
    expect(days.interval).toBe('auto');
  });
});
