import { connect } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { databaseKinds, pgliteKind } from '../helpers/db';
import { postCti, startTestIntake, turnIntakeOn } from '../helpers/intake';
import { TEAM_CHANNEL, teamFixture } from '../helpers/team';

const MEMBERS = { alice: 'specialist', carol: 'supervisor', dave: 'manager' } as const;
const CALL = { event: 'newCall', from: '13812345678', to: '4008208820', direction: 'in', callId: 'h1' };

/** A raw HTTP exchange, for what fetch will not send (a lying length, a sender that stalls). */
function rawRequest(port: number, head: string, body = '', stallMs = 0): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let answer = '';
    socket.on('data', (d) => (answer += String(d)));
    socket.on('close', () => resolve(answer));
    socket.on('error', (e) => (answer ? resolve(answer) : reject(e)));
    socket.write(head);
    if (stallMs) setTimeout(() => socket.end(), stallMs);
    else socket.end(body);
  });
}

describe.each(databaseKinds())("the intake server's edges on $name", (kind) => {
  const team = teamFixture(kind, { start: '2026-12-07T10:00:00+08:00', members: MEMBERS });
  let intake: Awaited<ReturnType<typeof startTestIntake>>;
  let id: string;
  beforeEach(async () => {
    intake = await startTestIntake(team.tdb.db, team.clock, { limits: { requestTimeoutMs: 1500, headersTimeoutMs: 1000 } });
    ({ id } = await turnIntakeOn(team.service, 'dave', TEAM_CHANNEL));
  });
  afterEach(() => intake.stop());

  it('answers 404 to an unknown or disabled source and to any other route, 405 to anything but POST', async () => {
    const unknown = await postCti(`${intake.base}/intake/${'A'.repeat(32)}/cti`, CALL);
    expect(unknown).toMatchObject({ status: 404, body: { error: { code: 'not_found' } } });
    for (const path of ['/', '/metrics', '/healthz', `/intake/${id}`, `/intake/${id}/other`, `/intake/${id}/cti/x`]) {
      expect((await fetch(`${intake.base}${path}`, { method: 'POST', body: 'x' })).status).toBe(404);
    }
    const get = await fetch(`${intake.base}/intake/${id}/cti`);
    expect(get.status).toBe(405);
    expect(get.headers.get('allow')).toBe('POST');
    expect((await postCti(`${intake.base}/intake/${id}/cti`, CALL)).status).toBe(200);
    await team.run('dave', 'team intake off');
    expect((await postCti(`${intake.base}/intake/${id}/cti`, { ...CALL, event: 'hangup' })).status).toBe(404);
    expect(await team.tdb.db.selectFrom('contacts').selectAll().execute()).toEqual([]);
  });

  it('answers 400 naming the field and what it should be', async () => {
    const url = `${intake.base}/intake/${id}/cti`;
    expect((await postCti(url, { ...CALL, event: 'ring' })).body).toEqual({ error: { code: 'invalid_field', field: 'event', message: 'event: expected newCall, answer or hangup' } });
    const { callId: _, ...noId } = CALL;
    expect((await postCti(url, noId)).body).toMatchObject({ error: { code: 'invalid_field', field: 'callId' } });
    expect((await postCti(url, { ...CALL, direction: 'sideways' })).body).toMatchObject({ error: { field: 'direction', message: 'direction: expected in or out' } });
    expect((await postCti(url, { ...CALL, callId: 'x'.repeat(251) })).body).toMatchObject({ error: { field: 'callId' } });
    const notJson = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"event":' });
    expect(notJson.status).toBe(400);
    expect(await notJson.json()).toEqual({ error: { code: 'invalid_json', message: 'the body is not valid JSON' } });
  });

  it('refuses a body over 64 KB before reading it, declared or not, and times out a sender that stalls', async () => {
    const url = `${intake.base}/intake/${id}/cti`;
    const big = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `event=newCall&callId=b&from=${'1'.repeat(70_000)}` });
    expect(big.status).toBe(413);
    expect(await big.json()).toEqual({ error: { code: 'too_large', message: 'the body is over 65536 bytes' } });
    // Sent in chunks with no length: cut off once past the limit.
    const chunked = await rawRequest(
      intake.server.port,
      `POST /intake/${id}/cti HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n`,
      `${(70_000).toString(16)}\r\n${'a'.repeat(70_000)}\r\n0\r\n\r\n`,
    );
    expect(chunked).toMatch(/^HTTP\/1\.1 413/);
    // A sender that says 10 bytes and sends 3 is timed out (408), not waited for.
    const started = Date.now();
    const slow = await rawRequest(intake.server.port, `POST /intake/${id}/cti HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 10\r\n\r\nevt`, '', 4000);
    expect(slow).toMatch(/^HTTP\/1\.1 408/);
    expect(Date.now() - started).toBeLessThan(3500);
    expect(await team.tdb.db.selectFrom('intake_calls').selectAll().execute()).toEqual([]);
  });
});

describe("the intake server's logs", () => {
  const team = teamFixture(pgliteKind, { start: '2026-12-07T10:00:00+08:00', members: MEMBERS });
  it("never hold a number, the secret or the address's id", async () => {
    const intake = await startTestIntake(team.tdb.db, team.clock);
    try {
      const { id, secret } = await turnIntakeOn(team.service, 'dave', TEAM_CHANNEL);
      await team.run('dave', 'team phone @alice 8001');
      const url = `${intake.base}/intake/${id}/cti`;
      await postCti(url, { ...CALL, user: ['8001'] });
      await postCti(url, { ...CALL, event: 'hangup', cause: 'cancel' });
      await postCti(url, { ...CALL, callId: 'h2', event: 'answer', answeringNumber: '8001' }, 'json');
      await postCti(`${intake.base}/intake/${'B'.repeat(32)}/cti`, CALL);
      const logs = intake.logLines.join('');
      expect(logs).toContain('call event');
      for (const secretThing of [id, secret, '13812345678', '8613812345678', '4008208820', '8001', 'h1', 'h2']) expect(logs).not.toContain(secretThing);
    } finally {
      await intake.stop();
    }
  });
});
