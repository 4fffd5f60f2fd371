import { beforeEach, describe, expect, it } from 'vitest';
import { teamRepository } from '../../db/repositories/teams';
import { createWeeklyPoster } from '../../src/app/front-desk/weekly';
import { withoutPhones } from '../../src/app/reports/chart-posts';
import { createDigestPoster } from '../../src/app/reports/digest-poster';
import { digestMessage } from '../../src/app/reports/report-views';
import { buildDigests } from '../../src/app/reports/reports';
import { DeliveryError, type ChatGateway, type OutgoingImage } from '../../src/chat/gateway';
import type { Outgoing } from '../../src/chat/message';
import type { ChartSpec } from '../../src/core/charts';
import { textOf } from '../helpers/messages';
import { pgliteKind } from '../helpers/db';
import { capturingLogger } from '../helpers/service';
import { teamFixture } from '../helpers/team';

const PNG = Buffer.from('89504e470d0a1a0a', 'hex');
const values = (spec: ChartSpec, name: string) => spec.series.find((s) => s.name === name)!.values;

describe('the charts beside the digest, the weekly summary and the KPIs', () => {
  let specs: ChartSpec[];
  let posts: Outgoing[];
  let images: OutgoingImage[];
  let refuse: boolean;
  const draw = async (spec: ChartSpec) => (specs.push(spec), { png: PNG });
  const gateway: ChatGateway = {
    send: async (o) => void posts.push(o),
    async sendImage(image) {
      if (refuse) throw new DeliveryError('Slack refused the upload: missing_scope (needs files:write)', undefined, { permanent: true });
      images.push(image);
    },
  };
  const team = teamFixture(pgliteKind, {
    start: '2026-11-20T10:00:00+08:00',
    createdAt: '2026-11-24T08:00:00+08:00',
    members: { alice: 'specialist', bob: 'specialist', carol: 'supervisor', dave: 'manager' },
    service: { draw },
  });
  const { clock, run } = team;
  const logger = capturingLogger().logger;
  const digests = () => createDigestPoster({ platform: 'slack', db: team.tdb.db, gateway, clock, logger, draw });

  beforeEach(() => {
    specs = [];
    posts = [];
    images = [];
    refuse = false;
  });

  async function complaints(): Promise<void> {
    await run('alice', 'complaint 王先生 quality 13812345678 漏水');
    clock.set('2026-11-22T11:00:00+08:00');
    await run('alice', 'complaint 李女士 fees 物业费');
    clock.set('2026-11-24T09:00:00+08:00');
    await run('bob', 'complaint 赵先生 urgent quality 墙面开裂');
    await run('alice', 'complaint 钱女士 quality 地板颜色');
    await run('bob', 'complaint 孙先生 delay 延期交房');
  }

  it('posts the digest’s text, then its 14 days by category and its open complaints by age, with the text’s numbers', async () => {
    await complaints();
    clock.set('2026-11-24T18:00:00+08:00');
    expect(await digests().postDue()).toEqual({ posted: 1, failed: 0 });
    expect(posts).toHaveLength(1);
    expect(images.map((i) => [i.to, i.name])).toEqual([
      [{ kind: 'channel', channel: 'C_TEAM' }, 'digest-2026-11-24.png'],
      [{ kind: 'channel', channel: 'C_TEAM' }, 'digest-open-2026-11-24.png'],
    ]);
    const text = textOf(posts[0]!.message);
    const [daily, open] = specs;
    expect(daily!.kind).toBe('dailyComplaints');
    expect(daily!.categories).toHaveLength(14);
    expect(daily!.categories.at(-1)).toBe('11-24');
    expect(daily!.marked).toMatchObject({ index: 13 });
    // "New today: 3" and "By category: quality 2 · delay 1" are the chart's last column.
    const newToday = Number(/New today: (\d+)/.exec(text)![1]);
    expect(daily!.series.reduce((sum, s) => sum + s.values[13]!, 0)).toBe(newToday);
    const byCategory = /By category: ([^\n]+)/
      .exec(text)![1]!
      .split(' · ')
      .map((p) => /^(.+) (\d+)$/.exec(p)!.slice(1));
    expect(byCategory.length).toBeGreaterThan(1);
    for (const [name, count] of byCategory) expect(values(daily!, name!)[13]).toBe(Number(count));
    // The days before are the 14 days' own: 11-20 quality, 11-22 fees.
    expect(values(daily!, 'quality')[9]).toBe(1);
    expect(values(daily!, 'fees')[11]).toBe(1);
    // "Still open: 5: under 24 h 3 · 24–48 h 1 · over 48 h 1" are the age chart's bars.
    const ages = /under 24 h (\d+) · 24–48 h (\d+) · over 48 h (\d+)/.exec(text)!.slice(1).map(Number);
    expect(open!.kind).toBe('openByAge');
    expect(open!.series[0]!.values).toEqual(ages);
    expect(JSON.stringify(specs)).not.toContain('13812345678');
  });

  it('keeps today’s posts exactly with charts off: the same text, nothing read or drawn for a chart', async () => {
    await complaints();
    expect(await team.say('dave', 'team charts off')).toContain('Charts are off');
    expect(await team.say('carol', 'team charts on')).toMatch(/manager/i);
    expect(await team.say('dave', 'team policy')).toMatch(/Charts: off/);
    clock.set('2026-11-24T18:00:00+08:00');
    await digests().postDue();
    expect(images).toEqual([]);
    expect(specs).toEqual([]);
    // The message is the digest as it was before charts.
    const row = (await teamRepository.findByChannel(team.tdb.db, 'slack', 'C_TEAM'))!;
    const digest = (await buildDigests(team.tdb.db, [{ team: row, day: '2026-11-24' }], clock.now())).get(row.id)!;
    expect(posts.map((o) => o.message)).toEqual([digestMessage(digest, row, { lateFrom: null })]);
  });

  it('sends the text alone when the platform refuses the picture, and tells the managers once why', async () => {
    await complaints();
    refuse = true;
    clock.set('2026-11-24T18:00:00+08:00');
    expect(await digests().postDue()).toEqual({ posted: 1, failed: 0 });
    const told = posts.filter((p) => p.to.kind === 'dm');
    expect(told.map((p) => p.to)).toEqual([{ kind: 'dm', user: 'dave' }]);
    expect(textOf(told[0]!.message)).toContain('missing_scope');
    expect(textOf(told[0]!.message)).toContain('/cs team charts off');
    clock.set('2026-11-25T18:00:00+08:00');
    await digests().postDue();
    expect(posts.filter((p) => p.to.kind === 'channel')).toHaveLength(2);
    expect(posts.filter((p) => p.to.kind === 'dm')).toHaveLength(1);
  });

  it('draws the weekly summary’s consultants and its eight weeks of KPIs from the figures its text prints', async () => {
    clock.set('2026-11-24T09:00:00+08:00');
    await run('alice', 'checkin');
    await run('bob', 'checkin');
    await run('carol', 'visit 王先生 13812345678');
    await run('alice', 'log wechat 张先生 13800001111 问价格');
    await run('alice', 'reply 1002');
    await run('bob', 'log wechat 周女士 问车位');
    clock.advance({ minutes: 45 });
    await run('bob', 'reply 1003');
    clock.set('2026-11-27T15:31:00+08:00');
    await createWeeklyPoster({ platform: 'slack', db: team.tdb.db, gateway, clock, logger, draw }).postDue();
    const text = JSON.stringify(posts[0]!.message);
    const [people, kpis] = specs;
    expect(images.map((i) => i.name)).toEqual(['weekly-2026-11-27.png', 'weekly-kpis-2026-11-27.png']);
    for (const [i, user] of people!.categories.entries()) {
      const row = new RegExp(`<@${user}>: visitors (\\d+), forfeits \\d+, logged (\\d+), on time (\\d+)/(\\d+)`).exec(text)!;
      const [visits, logged, n, d] = row.slice(1).map(Number);
      expect(people!.series.map((s) => s.values[i])).toEqual([visits, logged, d === 0 ? null : Math.round((n! / d!) * 1000) / 10]);
    }
    expect(people!.categories).toEqual(['alice', 'bob']);
    expect(people!.targets).toEqual([expect.objectContaining({ unit: 'percent', value: 90 })]);
    // The KPI line's this week and last week are the chart's last two weeks.
    expect(kpis!.categories).toHaveLength(8);
    const rate = /first response on time (\S+) \(last week (\S+)\)/.exec(text)!.slice(1);
    // The text writes a share as the chart holds it: one decimal, 100% whole.
    const shown = (v: number | null | undefined) => (v === null || v === undefined ? '—' : `${v.toFixed(v === 100 ? 0 : 1)}%`);
    expect([shown(values(kpis!, 'First response within the window')[7]), shown(values(kpis!, 'First response within the window')[6])]).toEqual(rate);
    expect(rate[0]).toBe('50.0%');
  });

  it('answers `/cs kpi … chart` with the figures and the same figures per day, for the asker’s scope', async () => {
    clock.set('2026-11-24T10:00:00+08:00');
    await run('alice', 'log wechat 张先生 问价格');
    await run('alice', 'reply 1001');
    await run('bob', 'log wechat 李女士 问车位');
    clock.advance({ minutes: 31 });
    await run('bob', 'reply 1002');
    const plain = await run('carol', 'kpi week');
    const buttons = plain.reply!.blocks.flatMap((b) => (b.kind === 'buttons' ? b.buttons : []));
    expect(buttons.map((b) => b.command)).toEqual(['kpi week chart']);
    expect(plain.image).toBeUndefined();
    const charted = await run('carol', 'kpi week 图表');
    expect(charted.image).toMatchObject({ to: { kind: 'dm', user: 'carol' }, name: 'kpi-2026-11-18-2026-11-24.png', png: PNG });
    expect(textOf(charted.reply)).toContain('The trend chart follows');
    const text = textOf(charted.reply);
    expect(text).toContain('50.0% (1/2)');
    const spec = specs.at(-1)!;
    expect(spec.categories).toEqual(['11-18', '11-19', '11-20', '11-21', '11-22', '11-23', '11-24']);
    expect(values(spec, 'First response within the window')).toEqual([null, null, null, null, null, null, 50]);
    // A specialist's chart is their own: alice's day is 100 %.
    const own = await run('alice', 'kpi week chart');
    expect(own.image?.to).toEqual({ kind: 'dm', user: 'alice' });
    expect(values(specs.at(-1)!, 'First response within the window').at(-1)).toBe(100);
    expect(specs.at(-1)!.title).toContain('alice');
    expect(textOf((await run('alice', 'kpi week <@bob> chart')).reply)).toMatch(/only their own/i);
    // Charts off: no button, and the chart word says why there is none.
    await run('dave', 'team charts off');
    expect((await run('carol', 'kpi week')).reply!.blocks.some((b) => b.kind === 'buttons')).toBe(false);
    const off = await run('carol', 'kpi week chart');
    expect(off.image).toBeUndefined();
    expect(textOf(off.reply)).toContain('Charts are off for this team');
  });

  it('never shows a number that looks like a phone on a chart', () => {
    const spec: ChartSpec = {
      kind: 'weeklyConsultants',
      lang: 'en',
      title: 'Consultants · 13812345678',
      categories: ['13912345678', 'alice'],
      series: [{ name: 'Visitors', unit: 'count', shape: 'bar', stacked: false, values: [1, 2] }],
      targets: [],
      marked: null,
    };
    const shown = JSON.stringify(withoutPhones(spec));
    expect(shown).not.toMatch(/13812345678|13912345678/);
    expect(shown).toContain('alice');
  });
});
