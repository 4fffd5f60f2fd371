import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { chineseHolidayData } from '../../src/app/team/holidays';
import { nextOpening } from '../../src/core/time/calendar';
import type { ContactChannel } from '../../src/core/channels';
import { contactDeadlines, type ContactDeadlines } from '../../src/core/time/deadlines';
import { calendarOf, DEFAULT_TEAM_SETTINGS, type Team } from '../../src/core/model';
import { planNags } from '../../src/core/nag-plan';

const ZONE = 'Asia/Shanghai';
const data = chineseHolidayData();
// The defaults: Monday to Friday 09:00–18:00, China's holidays.
const TEAM: Team = { id: 1, platform: 'slack', name: 't', channelId: 'C', zone: ZONE, lang: 'en', settings: DEFAULT_TEAM_SETTINGS };
const at = (iso: string) => DateTime.fromISO(iso, { zone: ZONE });
const local = (t: DateTime | undefined) => t?.setZone(ZONE).toFormat('yyyy-MM-dd HH:mm');

function deadlinesOf(channel: ContactChannel, received: string): ContactDeadlines {
  const r = contactDeadlines(TEAM, channel, at(received), data);
  if (!r.ok) throw new Error(r.error.key);
  return r.value;
}

describe(contactDeadlines.name, () => {
  it('keeps the 24 h calendar resolution of a contact in working hours', () => {
    const d = deadlinesOf('wechat', '2026-12-08T11:15');
    expect([local(d.response?.dueAt), local(d.resolution?.dueAt)]).toEqual(['2026-12-08 11:45', '2026-12-09 11:15']);
  });

  it('never has the resolution due before the first response of a Saturday-night message', () => {
    // Saturday 22:40: the reply is due Monday 09:30; 24 calendar hours would end on Sunday night.
    const d = deadlinesOf('wechat', '2026-12-05T22:40');
    expect(local(d.response?.dueAt)).toBe('2026-12-07 09:30');
    expect(local(d.resolution?.dueAt)).toBe('2026-12-07 09:30');
  });

  it('holds back the resolution of an email of Friday afternoon and of a complaint on the eve of National Day', () => {
    for (const [channel, received] of [
      ['email', '2026-12-04T16:00'],
      ['complaint', '2026-09-30T19:30'],
      ['missed', '2026-09-30T23:55'],
    ] as const) {
      const d = deadlinesOf(channel, received);
      expect(d.resolution!.dueAt >= d.response!.dueAt, `${channel} ${received}`).toBe(true);
    }
  });
});

describe(planNags.name, () => {
  it('sends no reminder of a Saturday-night message before the office opens on Monday, and none of the resolution before its first response’s', () => {
    const received = at('2026-12-05T22:40');
    const nags = planNags(deadlinesOf('wechat', '2026-12-05T22:40'), received, received, TEAM.settings, calendarOf(TEAM), data, false);
    const opens = nextOpening(calendarOf(TEAM), data, received)!;
    expect(nags.filter((n) => n.fireAt < opens)).toEqual([]);
    for (const n of nags.filter((x) => x.clock === 'resolution')) {
      const response = nags.find((x) => x.clock === 'response' && x.step === n.step);
      if (response) expect(n.fireAt >= response.fireAt, n.step).toBe(true);
    }
  });
});
