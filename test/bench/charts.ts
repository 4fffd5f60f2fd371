/**
 * How long a chart takes to draw, per kind, and how big its PNG is:
 *
 *   npm run bench:charts
 *
 * "cold" is the first chart of a fresh process (echarts, resvg and the font loaded on the way,
 * as the bot does on its first chart), measured in a child process per kind; "warm" is the
 * median of BENCH_REPEATS draws after that. The baseline row, from the same run, is a chart
 * with a title and nothing else: what every chart costs before its data. "svg" is echarts'
 * layout alone, the rest of "warm" is resvg turning it into pixels and PNG.
 */
import { spawnSync } from 'node:child_process';
import { drawChart } from '../../src/charts';
import type { ChartSeries, ChartSpec } from '../../src/core/charts';
import { median, runBench } from './harness';

const REPEATS = Number(process.env.BENCH_REPEATS ?? 15);
const days = (n: number) => Array.from({ length: n }, (_, i) => `11-${String(i + 1).padStart(2, '0')}`);
const wave = (n: number, base: number, spread: number, k: number) => Array.from({ length: n }, (_, i) => Math.round((base + spread * Math.sin(i * k)) * 10) / 10);
const bar = (name: string, values: number[], stacked = false, unit: ChartSeries['unit'] = 'count'): ChartSeries => ({ name, unit, shape: 'bar', stacked, values });
const line = (name: string, unit: ChartSeries['unit'], values: number[]): ChartSeries => ({ name, unit, shape: 'line', stacked: false, values });
const kpiLines = (n: number) => [line('首次响应及时率', 'percent', wave(n, 86, 8, 0.7)), line('24 小时解决率', 'percent', wave(n, 82, 10, 0.4)), line('平均满意度', 'score', wave(n, 4.4, 0.3, 0.9))];
const kpiTargets = [
  { name: '目标 首次响应及时率 / 24 小时解决率 90%', unit: 'percent' as const, value: 90 },
  { name: '目标 平均满意度 4.5', unit: 'score' as const, value: 4.5 },
];
const base = { lang: 'zh-CN' as const, targets: [], marked: null };

const SPECS: Record<string, ChartSpec> = {
  baseline: { ...base, kind: 'openByAge', title: '只有标题的图表 · 三期置业客服组', categories: [], series: [] },
  dailyComplaints: {
    ...base,
    kind: 'dailyComplaints',
    title: '近 14 天投诉（按类别）· 三期置业客服组',
    categories: days(14),
    series: ['质量', '延期交房', '费用', '承诺不兑现', '面积', '服务态度', '流程', '其他'].map((name, k) => bar(name, wave(14, 2, 2, k + 1).map(Math.round), true)),
    marked: { index: 13, label: '日报当天' },
  },
  openByAge: { ...base, kind: 'openByAge', title: '未解决投诉按时长 · 三期置业客服组 · 2026-11-24', categories: ['24 小时内', '24–48 小时', '超过 48 小时'], series: [bar('未解决投诉', [7, 3, 2])] },
  weeklyConsultants: {
    ...base,
    kind: 'weeklyConsultants',
    title: '顾问本周工作 · 三期置业客服组 · 2026-11-20 至 2026-11-27',
    categories: ['张伟', '李娜', '王芳', '刘洋', '陈静', '杨帆', '赵磊', '欧阳娜娜'],
    series: [bar('接待来访', wave(8, 10, 5, 1).map(Math.round)), bar('登记联系', wave(8, 25, 10, 2).map(Math.round)), bar('按时首次响应', wave(8, 88, 9, 3), false, 'percent')],
    targets: [{ name: '目标 首次响应及时率 90%', unit: 'percent', value: 90 }],
  },
  weeklyKpis: { ...base, kind: 'weeklyKpis', title: '近 8 周团队指标 · 三期置业客服组', categories: days(8).map((d) => `至 ${d}`), series: kpiLines(8), targets: kpiTargets },
  kpiTrend: { ...base, kind: 'kpiTrend', title: '近 30 天指标趋势 · 张伟', categories: days(30), series: kpiLines(30), targets: kpiTargets },
};

/** In a child: the first chart of a fresh process, and what loading the renderer added to its resident memory. */
async function cold(kind: string): Promise<void> {
  const rss = process.memoryUsage().rss;
  const started = performance.now();
  await drawChart(SPECS[kind]!);
  console.log(JSON.stringify({ ms: performance.now() - started, rssMb: (process.memoryUsage().rss - rss) / 2 ** 20 }));
}

async function main(): Promise<void> {
  const rows: string[][] = [];
  const { renderSvg } = await import('./charts-svg');
  for (const [kind, spec] of Object.entries(SPECS)) {
    const child = spawnSync(process.execPath, [...process.execArgv, import.meta.filename, '--cold', kind], { encoding: 'utf8' });
    if (child.status !== 0) throw new Error(child.stderr);
    const first = JSON.parse(child.stdout.trim().split('\n').at(-1)!) as { ms: number; rssMb: number };
    const times: number[] = [];
    const svgTimes: number[] = [];
    let size = 0;
    for (let i = 0; i < REPEATS; i++) {
      const started = performance.now();
      size = (await drawChart(spec)).png.length;
      times.push(performance.now() - started);
      const svgStarted = performance.now();
      renderSvg(spec);
      svgTimes.push(performance.now() - svgStarted);
    }
    rows.push([kind, first.ms.toFixed(0), `+${first.rssMb.toFixed(0)}`, median(times).toFixed(1), median(svgTimes).toFixed(1), (size / 1024).toFixed(0)]);
  }
  const header = ['chart (800×440 at 2×)', 'cold ms', 'cold RSS MB', 'warm ms', 'svg ms', 'PNG KB'];
  console.log(`| ${header.join(' | ')} |`);
  console.log(`| ${header.map((_, i) => (i === 0 ? '---' : '---:')).join(' | ')} |`);
  for (const row of rows) console.log(`| ${row.join(' | ')} |`);
  console.log(`\nwarm and svg: median of ${REPEATS}; cold: the first chart of a fresh process, echarts, resvg and the font loaded on the way.`);
}

const coldAt = process.argv.indexOf('--cold');
if (coldAt > 0) runBench(() => cold(process.argv[coldAt + 1]!));
else runBench(main);
