import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../db/connect';
import { createMetrics } from '../../src/runtime/metrics';
import { databaseKinds, postgresKind } from '../helpers/db';
import { eventually, postCti, postSigned, recipient, sentLines, startTestIntake, turnIntakeOn } from '../helpers/intake';
import { startTcpProxy } from '../helpers/tcp-proxy';
import { TEAM_CHANNEL, teamFixture } from '../helpers/team';

const pgUrl = process.env.TEST_DATABASE_URL;
const MEMBERS = { alice: 'specialist', bob: 'specialist', carol: 'supervisor', dave: 'manager' } as const;
const START = '2026-12-07T10:00:00+08:00';
const inbound = (callId: string, event: string, more: Record<string, string | string[]> = {}) => ({ event, from: '13812345678', to: '4008208820', direction: 'in', callId, ...more });
const contactReceived = { type: 'contact.received', data: { channel: 'wechat', customer: { name: '张先生', phone: '13812345678' }, text: '请回电 13900001111', owner: 'alice' } };

/** One Prometheus sample by name and labels. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | null {
  for (const line of text.split('\n')) {
    const m = /^([a-z_:]+)(\{([^}]*)\})? (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const have = Object.fromEntries([...(m[3] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((x) => [x[1], x[2]]));
    if (Object.entries(labels).every(([k, v]) => have[k] === v)) return Number(m[4]);
  }
  return null;
}

describe.each(databaseKinds())('the intake for operators on $name', (kind) => {
  const team = teamFixture(kind, { start: START, members: MEMBERS });

  it('counts events by protocol, type and outcome, and the time from a missed call to its DM', async () => {
    const { metrics, registry } = createMetrics(async () => ({ due: 0, oldestDueSeconds: 0 }));
    const intake = await startTestIntake(team.tdb.db, team.clock, { metrics });
    try {
      const { id, secret } = await turnIntakeOn(team.service, 'dave', TEAM_CHANNEL);
      await team.run('dave', 'team phone @alice 8001');
      const cti = `${intake.base}/intake/${id}/cti`;
      await postCti(cti, inbound('m1', 'newCall', { user: ['8001'] }));
      await postCti(cti, inbound('m1', 'hangup', { cause: 'cancel' }));
      await postCti(cti, inbound('m1', 'hangup', { cause: 'cancel' }));
      await postSigned(`${intake.base}/intake/${id}/events`, contactReceived, { secrets: [secret] });
      await postSigned(`${intake.base}/intake/${id}/events`, contactReceived, { secrets: [`whsec_${Buffer.alloc(32).toString('base64')}`] });
      await eventually(async () => sample(await registry.metrics(), 'csbot_intake_missed_call_dm_seconds_count') === 1, 'the DM lag observed');
      const text = await registry.metrics();
      expect(sample(text, 'csbot_intake_events_total', { protocol: 'cti', type: 'newCall', outcome: 'ringing' })).toBe(1);
      expect(sample(text, 'csbot_intake_events_total', { protocol: 'cti', type: 'hangup', outcome: 'missed' })).toBe(1);
      expect(sample(text, 'csbot_intake_events_total', { protocol: 'cti', type: 'hangup', outcome: 'duplicate' })).toBe(1);
      expect(sample(text, 'csbot_intake_events_total', { protocol: 'events', type: 'contact.received', outcome: 'logged' })).toBe(1);
      expect(sample(text, 'csbot_intake_events_total', { protocol: 'events', type: 'unknown', outcome: 'unauthorized' })).toBe(1);
      expect(sample(text, 'csbot_intake_missed_call_dm_seconds_bucket', { le: '2' })).toBe(1);
      // Numbers reach others masked: the caller's and the one in the event's text.
      await eventually(() => intake.sent.length >= 2, 'both DMs');
      expect(sentLines(intake.sent).join('\n')).not.toMatch(/13812345678|13900001111/);
    } finally {
      await intake.stop();
    }
  });

  it("answers 429 with Retry-After past a source's rate, and keeps other sources going", async () => {
    const intake = await startTestIntake(team.tdb.db, team.clock, { limits: { perSecond: 1, burst: 3 } });
    try {
      const { id } = await turnIntakeOn(team.service, 'dave', TEAM_CHANNEL);
      const statuses: number[] = [];
      let retryAfter: string | null = null;
      for (let i = 0; i < 5; i++) {
        const res = await postCti(`${intake.base}/intake/${id}/cti`, inbound(`r${i}`, 'newCall'));
        statuses.push(res.status);
        if (res.status === 429) {
          retryAfter = res.headers.get('retry-after');
          expect(res.body).toEqual({ error: { code: 'rate_limited', message: 'more than 1 events a second (bursts of 3) from one source' } });
        }
      }
      expect(statuses).toEqual([200, 200, 200, 429, 429]);
      expect(Number(retryAfter)).toBeGreaterThanOrEqual(1);
      expect((await postCti(`${intake.base}/intake/${'C'.repeat(32)}/cti`, inbound('r9', 'newCall'))).status).toBe(404);
    } finally {
      await intake.stop();
    }
  });
});

describe.runIf(Boolean(pgUrl))('the intake on PostgreSQL with two replicas and an outage', () => {
  const team = teamFixture(postgresKind(pgUrl ?? ''), { start: START, members: MEMBERS });
  const opened: Array<{ close(): Promise<void> }> = [];
  const servers: Array<{ stop(): Promise<void> }> = [];
  let proxy: Awaited<ReturnType<typeof startTcpProxy>> | null = null;
  beforeEach(() => {
    opened.length = 0;
    servers.length = 0;
  });
  afterEach(async () => {
    for (const s of servers) await s.stop();
    for (const d of opened) await d.close();
    await proxy?.stop();
    proxy = null;
  });
  /** A replica: its own connections to the test schema, optionally through a proxy the test can cut. */
  const replica = async (through?: number) => {
    const url = new URL(pgUrl!);
    if (through) url.host = `127.0.0.1:${through}`;
    const database = await openDatabase({ kind: 'postgres', url: url.toString(), schema: team.tdb.schema!, poolSize: 3 });
    opened.push(database);
    const intake = await startTestIntake(database.db, team.clock);
    servers.push(intake);
    return intake;
  };

  it('makes one contact and one DM of the same events posted to two replicas at once', async () => {
    const [a, b] = [await replica(), await replica()];
    const { id, secret } = await turnIntakeOn(team.service, 'dave', TEAM_CHANNEL);
    await team.run('dave', 'team phone @alice 8001');
    const both = <T>(post: (base: string) => Promise<T>) => Promise.all([post(a.base), post(b.base)]);
    await both((base) => postCti(`${base}/intake/${id}/cti`, inbound('d1', 'newCall', { user: ['8001'] })));
    const hangups = await both((base) => postCti(`${base}/intake/${id}/cti`, inbound('d1', 'hangup', { cause: 'cancel' })));
    expect(hangups.map((h) => h.status)).toEqual([200, 200]);
    // A second call from the number on each replica at once: folded, never a second clock.
    await both((base) => postCti(`${base}/intake/${id}/cti`, inbound('d2', 'newCall')));
    await Promise.all([postCti(`${a.base}/intake/${id}/cti`, inbound('d2', 'hangup')), postCti(`${b.base}/intake/${id}/cti`, inbound('d3', 'hangup'))]);
    const signed = await both((base) => postSigned(`${base}/intake/${id}/events`, contactReceived, { secrets: [secret], id: 'msg_same' }));
    expect(signed.map((s) => s.body)).toEqual([{ contactId: 1002 }, { contactId: 1002 }]);
    const contacts = await team.tdb.db.selectFrom('contacts').select(['id', 'channel', 'note']).orderBy('id').execute();
    expect(contacts).toEqual([
      { id: 1001, channel: 'missed', note: 'missed 3×: 10:00' },
      { id: 1002, channel: 'wechat', note: '请回电 13900001111' },
    ]);
    await new Promise((r) => setTimeout(r, 200));
    const dms = [...a.sent, ...b.sent].filter((o) => recipient(o) === '@alice');
    // The missed call's DM, one short update for the number calling again, the event's DM.
    expect(dms.map((o) => /#\d+/.exec(o.message.text)?.[0])).toHaveLength(3);
  });

  it('answers 503 with Retry-After while the database is away, saving nothing, then takes the same events once', async () => {
    const target = new URL(pgUrl!);
    proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port || 5432) });
    const intake = await replica(proxy.port);
    const { id, secret } = await turnIntakeOn(team.service, 'dave', TEAM_CHANNEL);
    const cti = `${intake.base}/intake/${id}/cti`;
    const events = `${intake.base}/intake/${id}/events`;
    expect((await postCti(cti, inbound('o1', 'newCall'))).status).toBe(200);
    proxy.cut();
    const during = await postCti(cti, inbound('o1', 'hangup', { cause: 'cancel' }));
    expect(during).toMatchObject({ status: 503, body: { error: { code: 'unavailable' } } });
    expect(during.headers.get('retry-after')).toBe('5');
    const signedDuring = await postSigned(events, contactReceived, { secrets: [secret], id: 'msg_outage' });
    expect(signedDuring.status).toBe(503);
    proxy.restore();
    expect((await postCti(cti, inbound('o1', 'hangup', { cause: 'cancel' }))).status).toBe(200);
    expect((await postCti(cti, inbound('o1', 'hangup', { cause: 'cancel' }))).status).toBe(200);
    const signedAfter = await postSigned(events, contactReceived, { secrets: [secret], id: 'msg_outage' });
    expect(signedAfter).toMatchObject({ status: 200, body: { contactId: 1002 } });
    expect((await postSigned(events, contactReceived, { secrets: [secret], id: 'msg_outage' })).body).toEqual({ contactId: 1002 });
    const contacts = await team.tdb.db.selectFrom('contacts').select(['id', 'channel']).orderBy('id').execute();
    expect(contacts).toEqual([
      { id: 1001, channel: 'missed' },
      { id: 1002, channel: 'wechat' },
    ]);
    expect(intake.logLines.join('')).not.toContain(String(proxy.port));
  });
});
