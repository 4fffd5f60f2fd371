import cron from 'node-cron';
import { describe, expect, it } from 'vitest';
import { registerSchedules } from '../../schedules';
import { DAILY_DIGEST_CRON } from '../../schedules/daily-digest';
import type { Scheduler } from '../../src/runtime/cron';
import type { DigestPoster } from '../../src/app/reports/digest-poster';
import { fakeClock } from '../helpers/clock';
import { capturingLogger } from '../helpers/service';

describe(registerSchedules.name, () => {
  it('runs the digest poster every minute at second 0, so each team’s digest goes out at its HH:mm', async () => {
    const jobs = new Map<string, { expression: string; job: () => Promise<void> }>();
    const scheduler: Scheduler = { every: (expression, name, job) => void jobs.set(name, { expression, job }), stop: async () => {} };
    let passes = 0;
    const digests: DigestPoster = { postDue: async () => ({ posted: ++passes, failed: 0 }) };
    registerSchedules(scheduler, { db: null as never, clock: fakeClock('2026-11-24T10:00:00Z'), logger: capturingLogger().logger, digests });
    expect(jobs.get('daily-digest')?.expression).toBe(DAILY_DIGEST_CRON);
    expect(cron.validate(DAILY_DIGEST_CRON)).toBe(true);
    expect(DAILY_DIGEST_CRON.split(' ')[0]).toBe('0');
    await jobs.get('daily-digest')!.job();
    expect(passes).toBe(1);
    expect([...jobs.keys()].sort()).toEqual(['daily-digest', 'purge-request-keys']);
  });

  it('looks for visitors a lunch’s end frees a consultant for every minute, when the bot gives it the job', async () => {
    const jobs = new Map<string, { expression: string; job: () => Promise<void> }>();
    const scheduler: Scheduler = { every: (expression, name, job) => void jobs.set(name, { expression, job }), stop: async () => {} };
    let admitted = 0;
    const digests: DigestPoster = { postDue: async () => ({ posted: 0, failed: 0 }) };
    registerSchedules(scheduler, { db: null as never, clock: fakeClock('2026-11-24T10:00:00Z'), logger: capturingLogger().logger, digests, admitWaiting: async () => void admitted++ });
    expect(jobs.get('front-desk-waiting')?.expression).toBe('* * * * *');
    await jobs.get('front-desk-waiting')!.job();
    expect(admitted).toBe(1);
  });
});
