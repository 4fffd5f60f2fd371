import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { dailyComplaintsChart, hasData, kpiTrendChart, openByAgeChart, weeklyConsultantsChart, weeklyKpisChart, type ChartSpec } from '../../src/core/charts';
import { buildDigest } from '../../src/core/digest';
import { computeKpis, type KpiContact } from '../../src/core/kpi';
import { resolvePeriod } from '../../src/core/time/period';
import { complaintDays, dailyKpis, weeklyKpis } from '../../src/core/trends';
import { consultantWeeks } from '../../src/core/weekly-figures';
import { contactOf } from '../helpers/contacts';

const ZONE = 'Asia/Shanghai';
const han = /\p{Script=Han}/u;
const labelsOf = (spec: ChartSpec) => [spec.title, ...spec.categories, ...spec.series.map((s) => s.name), ...spec.targets.map((x) => x.name), spec.marked?.label ?? ''];

/**
 * The digest of 2026-11-24 at 18:00 (+08:00), by hand:
 *  1 quality 11-24 09:00, open (9 h)        2 quality 11-23 10:00, open (32 h)
 *  3 fees 11-20 10:00, open (4 days)         4 fees 11-12 10:00, resolved 11-13
 *  5 no category 11-11 08:00, resolved       6 quality 11-10, resolved: before the 14 days
 *  7 attitude 11-24 20:00: after the digest  8 a WeChat message 11-24: not a complaint
 */
const NOW = DateTime.fromISO('2026-11-24T18:00:00+08:00', { setZone: true });
const complaints = [
  contactOf({ id: 1, received: '2026-11-24T09:00:00+08:00', complaint: { category: 'quality' } }),
  contactOf({ id: 2, received: '2026-11-23T10:00:00+08:00', complaint: { category: 'quality' } }),
  contactOf({ id: 3, received: '2026-11-20T10:00:00+08:00', complaint: { category: 'fees' } }),
  contactOf({ id: 4, received: '2026-11-12T10:00:00+08:00', resolved: '2026-11-13T10:00:00+08:00', status: 'closed', complaint: { category: 'fees' } }),
  contactOf({ id: 5, received: '2026-11-11T08:00:00+08:00', resolved: '2026-11-11T12:00:00+08:00', status: 'closed' }),
  contactOf({ id: 6, received: '2026-11-10T10:00:00+08:00', resolved: '2026-11-10T12:00:00+08:00', status: 'closed', complaint: { category: 'quality' } }),
  contactOf({ id: 7, received: '2026-11-24T20:00:00+08:00', complaint: { category: 'attitude' } }),
  contactOf({ id: 8, channel: 'wechat', received: '2026-11-24T11:00:00+08:00' }),
];

describe(dailyComplaintsChart.name, () => {
  // The digest reads complaints only; the chart's count skips anything else it is handed.
  const digest = buildDigest(
    complaints.filter((c) => c.channel === 'complaint'),
    '2026-11-24',
    ZONE,
    NOW,
    3,
  );
  const days = complaintDays(complaints, '2026-11-24', ZONE, digest.asOf);
  const spec = dailyComplaintsChart(digest, days, '三期客服组', 'zh-CN');

  it('stacks the complaints of the 14 days up to the digest by category, the digest day marked', () => {
    expect(spec.categories).toEqual(['11-11', '11-12', '11-13', '11-14', '11-15', '11-16', '11-17', '11-18', '11-19', '11-20', '11-21', '11-22', '11-23', '11-24']);
    const at = (...ones: number[]) => Array.from({ length: 14 }, (_, i) => ones.filter((o) => o === i).length);
    expect(spec.series.map((s) => [s.name, s.values])).toEqual([
      ['质量', at(12, 13)],
      ['费用', at(1, 9)],
      ['未分类', at(0)],
    ]);
    expect(spec.series.every((s) => s.shape === 'bar' && s.stacked && s.unit === 'count')).toBe(true);
    expect(spec.marked).toEqual({ index: 13, label: '日报当天' });
    expect(spec.title).toBe('近 14 天投诉（按类别）· 三期客服组');
  });

  it('shows the same numbers as the digest text: its 7-day trend and its new complaints of the day', () => {
    for (const trend of digest.topCategories) {
      const series = spec.series.find((s) => s.name === { quality: '质量', fees: '费用', unset: '未分类' }[trend.category as string]);
      expect(series?.values.slice(-7)).toEqual(trend.perDay);
    }
    expect(spec.series.reduce((sum, s) => sum + s.values.at(-1)!, 0)).toBe(digest.newToday.total);
    expect(spec.series[0]!.values.at(-1)).toBe(digest.newToday.byCategory.get('quality'));
  });

  it("draws the open complaints in the digest text's three age bands", () => {
    const open = openByAgeChart(digest, '三期客服组', 'zh-CN');
    expect(open.categories).toEqual(['24 小时内', '24–48 小时', '超过 48 小时']);
    expect(open.series[0]!.values).toEqual([1, 1, 1]);
    expect(open.series[0]!.values).toEqual([digest.open.under24h, digest.open.from24to48h, digest.open.over48h]);
  });

  it('labels everything in English for an English team', () => {
    const en = [dailyComplaintsChart(digest, days, 'Phase 3', 'en'), openByAgeChart(digest, 'Phase 3', 'en')];
    for (const s of en) expect(labelsOf(s).filter((l) => han.test(l))).toEqual([]);
    expect(en[0]!.series.map((s) => s.name)).toEqual(['quality', 'fees', 'uncategorised']);
  });
});

/**
 * A weekly summary of Friday 2026-11-27 15:30, by hand: alice owns a1 (on time), a2 (late),
 * a3 (its window still running) and the complaint a4 (never answered, resolved, followed up);
 * bob owns b1 (on time), logged by carol at the front desk; dave, not a specialist, owns d1
 * (a call without a window).
 */
const MOMENT = DateTime.fromISO('2026-11-27T15:30:00+08:00', { setZone: true });
const a4 = contactOf({
  id: 14,
  received: '2026-11-26T09:00:00+08:00',
  responseDue: '2026-11-26T11:00:00+08:00',
  resolved: '2026-11-26T18:00:00+08:00',
  status: 'closed',
  complaint: { satisfaction: 5, followedUp: '2026-11-27T10:00:00+08:00' },
});
const week = [
  contactOf({
    id: 11,
    channel: 'wechat',
    received: '2026-11-24T10:00:00+08:00',
    responseDue: '2026-11-24T10:30:00+08:00',
    responded: '2026-11-24T10:20:00+08:00',
    resolved: '2026-11-24T12:00:00+08:00',
  }),
  contactOf({ id: 12, channel: 'missed', received: '2026-11-25T11:00:00+08:00', responseDue: '2026-11-25T11:15:00+08:00', responded: '2026-11-25T11:40:00+08:00' }),
  contactOf({ id: 13, channel: 'email', received: '2026-11-27T14:00:00+08:00', responseDue: '2026-11-27T18:00:00+08:00' }),
  a4,
  {
    ...contactOf({ id: 21, channel: 'wechat', owner: 'bob', received: '2026-11-25T10:00:00+08:00', responseDue: '2026-11-25T10:30:00+08:00', responded: '2026-11-25T10:00:00+08:00' }),
    loggedBy: 'carol',
  },
  contactOf({ id: 31, channel: 'call', owner: 'dave', received: '2026-11-26T10:00:00+08:00', responded: '2026-11-26T10:00:00+08:00' }),
];

describe(weeklyConsultantsChart.name, () => {
  const weeks = consultantWeeks(
    {
      specialists: ['alice', 'bob', 'carol'],
      contacts: week,
      visits: [{ user: 'alice' }, { user: 'carol' }, { user: 'alice' }, { user: 'bob' }, { user: 'carol' }, { user: 'carol' }],
      forfeits: new Map([['bob', 1]]),
      followedUp: [a4],
    },
    MOMENT,
  );
  const names = new Map([
    ['alice', '张伟'],
    ['bob', '李娜'],
    ['dave', '王芳'],
  ]);
  const spec = weeklyConsultantsChart(weeks, names, { team: '三期客服组', from: '2026-11-20', to: '2026-11-27' }, 'zh-CN');

  it("works out each consultant's week as the summary lists it", () => {
    expect(weeks).toEqual([
      { userId: 'alice', visits: 2, forfeits: 0, logged: 4, onTime: { n: 1, d: 3 }, complaints: 1, complaintsResolved: 1, followups: 1 },
      { userId: 'bob', visits: 1, forfeits: 1, logged: 0, onTime: { n: 1, d: 1 }, complaints: 0, complaintsResolved: 0, followups: 0 },
      { userId: 'carol', visits: 3, forfeits: 0, logged: 1, onTime: { n: 0, d: 0 }, complaints: 0, complaintsResolved: 0, followups: 0 },
      { userId: 'dave', visits: 0, forfeits: 0, logged: 1, onTime: { n: 0, d: 0 }, complaints: 0, complaintsResolved: 0, followups: 0 },
    ]);
  });

  it('draws visitors, contacts logged and first responses on time per consultant against the 90 % target', () => {
    expect(spec.categories).toEqual(['张伟', '李娜', 'carol', '王芳']);
    expect(spec.series.map((s) => [s.name, s.unit, s.values])).toEqual([
      ['接待来访', 'count', [2, 1, 3, 0]],
      ['登记联系', 'count', [4, 0, 1, 1]],
      ['按时首次响应', 'percent', [33.3, 100, null, null]],
    ]);
    expect(spec.targets).toEqual([{ name: '目标 首次响应及时率 90%', unit: 'percent', value: 90 }]);
    expect(spec.title).toBe('顾问本周工作 · 三期客服组 · 2026-11-20 至 2026-11-27');
  });
});

describe(weeklyKpisChart.name, () => {
  // Week 7 holds one complaint: answered in time, resolved after 27 h, scored 3.
  const earlier = contactOf({
    id: 41,
    received: '2026-11-18T09:00:00+08:00',
    responseDue: '2026-11-18T11:00:00+08:00',
    responded: '2026-11-18T10:00:00+08:00',
    resolved: '2026-11-19T12:00:00+08:00',
    status: 'closed',
    complaint: { satisfaction: 3, followedUp: '2026-11-19T15:00:00+08:00' },
  });
  const rows: KpiContact[] = [earlier, ...week].map((contact) => ({ contact, contactedAgain: false }));
  const points = weeklyKpis(rows, MOMENT, 8, MOMENT);
  const spec = weeklyKpisChart(points, '三期客服组', 'zh-CN');

  it('computes each of the 8 weeks as the summary computes its own week and the week before', () => {
    const thisWeek = rows.filter((r) => r.contact.receivedAt >= MOMENT.minus({ weeks: 1 }));
    expect(points.at(-1)!.kpis).toEqual(computeKpis(thisWeek, MOMENT));
    expect(points.at(-2)!.kpis).toEqual(computeKpis([rows[0]!], MOMENT));
    expect(points[0]!.from.toISO()).toBe(MOMENT.minus({ weeks: 8 }).toISO());
  });

  it('draws first response, 24 h resolution and satisfaction per week against their targets', () => {
    expect(spec.categories).toEqual(['10-09', '10-16', '10-23', '10-30', '11-06', '11-13', '11-20', '11-27'].map((d) => `至 ${d}`));
    const empty = [null, null, null, null, null, null];
    // This week: first response 2 of 4 decided (a1 and b1 on time, a2 late, a4 never; a3 running, d1 without a window);
    // 24 h: a1 and a4 met, a2, b1 and d1 unresolved past 24 h, a3 still inside them: 2 of 5; satisfaction a4's 5.
    expect(spec.series.map((s) => [s.name, s.unit, s.values])).toEqual([
      ['首次响应及时率', 'percent', [...empty, 100, 50]],
      ['24 小时解决率', 'percent', [...empty, 0, 40]],
      ['平均满意度', 'score', [...empty, 3, 5]],
    ]);
    expect(spec.targets).toEqual([
      { name: '目标 首次响应及时率 / 24 小时解决率 90%', unit: 'percent', value: 90 },
      { name: '目标 平均满意度 4.5', unit: 'score', value: 4.5 },
    ]);
  });
});

describe(kpiTrendChart.name, () => {
  const rows: KpiContact[] = week.map((contact) => ({ contact, contactedAgain: false }));
  const period = resolvePeriod({ kind: 'lastDays', days: 30, word: 'month' }, ZONE, MOMENT);
  const points = dailyKpis(rows, period, ZONE, MOMENT);
  const spec = kpiTrendChart(points, 'Zhang Wei', 'en');

  it("has a point per day of the 30 days, each day's KPIs computed as the text computes a period's", () => {
    expect(points).toHaveLength(30);
    expect(spec.categories[0]).toBe('10-29');
    expect(spec.categories.at(-1)).toBe('11-27');
    const day = (d: string) => rows.filter((r) => r.contact.receivedAt.setZone(ZONE).toISODate() === d);
    expect(points.at(-2)!.kpis).toEqual(computeKpis(day('2026-11-26'), MOMENT));
  });

  it("draws the days' first response, 24 h resolution and satisfaction against their targets, in English", () => {
    const at = (name: string, date: string) => spec.series.find((s) => s.name.startsWith(name))!.values[spec.categories.indexOf(date)];
    expect(at('First response', '11-24')).toBe(100); // a1
    expect(at('First response', '11-25')).toBe(50); // a2 late, b1 on time
    expect(at('First response', '11-26')).toBe(0); // a4 never answered; d1 has no window
    expect(at('First response', '11-27')).toBe(null); // a3 still running
    expect(at('24 h resolution', '11-26')).toBe(50); // a4 met; d1 (a call unresolved) missed
    expect(at('Average satisfaction', '11-26')).toBe(5);
    expect(spec.targets.map((x) => x.value)).toEqual([90, 4.5]);
    expect(labelsOf(spec).filter((l) => han.test(l))).toEqual([]);
    expect(spec.title).toBe('KPI trend over the last 30 days · Zhang Wei');
  });

  it('tells a chart with nothing to draw from one with data', () => {
    expect(hasData(spec)).toBe(true);
    expect(hasData(kpiTrendChart(dailyKpis([], period, ZONE, MOMENT), 'x', 'en'))).toBe(false);
    // The worst period is one to see: a share of 0 % is a figure, not "no data"; counts all 0 are nothing.
    const zeroShare: ChartSpec = { ...spec, series: [{ name: 'First response', unit: 'percent', shape: 'line', stacked: false, values: [null, 0, 0] }] };
    expect(hasData(zeroShare)).toBe(true);
    const zeroCounts: ChartSpec = { ...spec, series: [{ name: 'Complaints', unit: 'count', shape: 'bar', stacked: true, values: [0, 0, null] }] };
    expect(hasData(zeroCounts)).toBe(false);
  });
});
