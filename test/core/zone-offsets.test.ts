import { DateTime, IANAZone } from 'luxon';
import { describe, expect, it } from 'vitest';
import { uncachedOffset } from '../../src/core/time/zone-offsets';

describe('remembered zone offsets', () => {
  const zones = ['Asia/Shanghai', 'America/New_York', 'Europe/London', 'Australia/Lord_Howe', 'Asia/Kathmandu', 'America/St_Johns', 'Pacific/Chatham', 'Europe/Dublin'];

  it('give luxon’s own answer all around each DST switch and at random instants', () => {
    let checked = 0;
    for (const name of zones) {
      const zone = IANAZone.create(name);
      // Every seven minutes and a second, two hours either side, of the days the offset changes in 2005–2030.
      for (let year = 2005; year <= 2030; year++) {
        let t = DateTime.fromObject({ year }, { zone: 'UTC' }).toMillis();
        const end = DateTime.fromObject({ year: year + 1 }, { zone: 'UTC' }).toMillis();
        let before = uncachedOffset.call(zone, t);
        for (; t < end; t += 24 * 3_600_000) {
          const after = uncachedOffset.call(zone, t + 24 * 3_600_000);
          if (after === before) continue;
          for (let m = t - 7_200_000; m <= t + 24 * 3_600_000 + 7_200_000; m += 7 * 60_000 + 1_000) {
            expect(zone.offset(m)).toBe(uncachedOffset.call(zone, m));
            checked++;
          }
          before = after;
        }
      }
      for (let i = 0; i < 500; i++) {
        const ts = Date.UTC(1980, 0, 1) + Math.floor(Math.random() * 60 * 365 * 86_400_000);
        expect(zone.offset(ts)).toBe(uncachedOffset.call(zone, ts));
      }
    }
    expect(checked).toBeGreaterThan(1_000);
  });

  it('leave local times across a switch as luxon computes them', () => {
    const beforeSwitch = DateTime.fromISO('2026-03-08T01:59', { zone: 'America/New_York' });
    expect(beforeSwitch.plus({ minutes: 1 }).toISO()).toBe('2026-03-08T03:00:00.000-04:00');
    expect(DateTime.fromISO('2026-11-01T03:00', { zone: 'America/New_York' }).offset).toBe(-300);
    expect(DateTime.fromISO('2026-10-31T23:00', { zone: 'America/New_York' }).offset).toBe(-240);
    expect(DateTime.fromMillis(Date.UTC(2026, 10, 1, 6, 30), { zone: 'America/New_York' }).toFormat('HH:mm ZZ')).toBe('01:30 -05:00');
  });
});
