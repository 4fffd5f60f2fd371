import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { textOf } from '../helpers/messages';
import { databaseKinds } from '../helpers/db';
import { eventually, postSigned, recipient, startTestIntake, turnIntakeOn } from '../helpers/intake';
import { TEAM_CHANNEL, teamFixture } from '../helpers/team';

const NOW = '2026-12-07T10:20:00+08:00';
const contactReceived = (data: Record<string, unknown> = {}) => ({
  type: 'contact.received',
  timestamp: '2026-12-07T02:15:00Z',
  data: { channel: 'wechat', customer: { name: '张先生', phone: '13812345678' }, receivedAt: '2026-12-07T10:15:00+08:00', text: '问车位价格', ...data },
});

describe.each(databaseKinds())('signed events from other systems (Standard Webhooks) on $name', (kind) => {
  const team = teamFixture(kind, { start: NOW, members: { alice: 'specialist', bob: 'specialist', carol: 'supervisor', dave: 'manager' } });
  const { clock, run, say } = team;
  let intake: Awaited<ReturnType<typeof startTestIntake>>;
  let url: string;
  let secret: string;
  let id: string;
  beforeEach(async () => {
    intake = await startTestIntake(team.tdb.db, clock);
    ({ id, secret } = await turnIntakeOn(team.service, 'dave', TEAM_CHANNEL));
    url = `${intake.base}/intake/${id}/events`;
  });
  afterEach(() => intake.stop());
  const contacts = () => team.tdb.db.selectFrom('contacts').selectAll().orderBy('id').execute();
  const dmsTo = (user: string) => intake.sent.filter((o) => recipient(o) === `@${user}`);

  it('logs a contact exactly as /cs log does, for the owner given, who is told; a retry gets the first answer and makes nothing new', async () => {
    const first = await postSigned(url, contactReceived({ owner: 'alice' }), { secrets: [secret], id: 'msg_2KWPBgLlAfxdpx2AI54pPJ85f4W' });
    expect(first).toMatchObject({ status: 200, body: { contactId: 1001 } });
    await eventually(() => dmsTo('alice').length > 0, "alice's DM");
    expect(textOf(dmsTo('alice')[0]!.message)).toContain('🔗API logged #1001 (WeChat) for your customer 张先生 138****5678; first response due 2026-12-07 10:45.');
    const [c] = await contacts();
    expect(c).toMatchObject({ channel: 'wechat', owner_user_id: 'alice', logged_by: '~events', note: '问车位价格', status: 'open' });
    expect(c!.received_at.toISOString()).toBe('2026-12-07T02:15:00.000Z');
    expect(await say('alice', 'mine')).toContain('#1001 · WeChat · 张先生 138****5678');

    const again = await postSigned(url, contactReceived({ owner: 'alice' }), { secrets: [secret], id: 'msg_2KWPBgLlAfxdpx2AI54pPJ85f4W' });
    expect(again).toMatchObject({ status: 200, body: { contactId: 1001 } });
    await new Promise((r) => setTimeout(r, 50));
    expect(await contacts()).toHaveLength(1);
    expect(dmsTo('alice')).toHaveLength(1);
  });

  it('finds the owner by phone when none is given', async () => {
    await run('bob', 'log call 张先生 13812345678 问户型');
    const res = await postSigned(url, contactReceived(), { secrets: [secret] });
    expect(res).toMatchObject({ status: 200, body: { contactId: 1002 } });
    expect((await contacts())[1]).toMatchObject({ owner_user_id: 'bob' });
    await eventually(() => dmsTo('bob').length > 0, "bob's DM");
  });

  it('gives a new customer nobody was named for to the supervisors, with the assign menu', async () => {
    const res = await postSigned(url, contactReceived({ customer: { name: '李女士', phone: '13900001111' } }), { secrets: [secret] });
    expect(res.status).toBe(200);
    await eventually(() => dmsTo('carol').length > 0, "the supervisor's DM");
    expect(textOf(dmsTo('carol')[0]!.message)).toContain('#1001 (WeChat · 李女士 139****1111) has nobody yet');
  });

  it('answers 401, saying nothing more, to a forged, unsigned, stale or early event; 404 to a source that is off', async () => {
    const forged = await postSigned(url, contactReceived(), { secrets: [`whsec_${Buffer.alloc(32, 7).toString('base64')}`] });
    expect(forged).toMatchObject({ status: 401, body: { error: { code: 'unauthorized', message: 'signature or timestamp not accepted' } } });
    // Signed for one body, sent with another.
    const { Webhook } = await import('standardwebhooks');
    const at = new Date();
    const signature = new Webhook(secret).sign('msg_t', at, JSON.stringify(contactReceived()));
    const tampered = await postSigned(url, null, { secrets: [secret], id: 'msg_t', timestamp: at, signature, body: JSON.stringify(contactReceived({ owner: 'bob' })) });
    expect(tampered).toMatchObject({ status: 401, body: forged.body });
    expect((await postSigned(url, null, { secrets: [secret], id: 'msg_t', timestamp: at, signature, body: JSON.stringify(contactReceived()) })).status).toBe(200);
    for (const omit of ['webhook-id', 'webhook-timestamp', 'webhook-signature'] as const) {
      expect((await postSigned(url, contactReceived(), { secrets: [secret], omit })).status).toBe(401);
    }
    expect((await postSigned(url, contactReceived(), { secrets: [secret], timestamp: new Date(Date.now() - 6 * 60_000) })).status).toBe(401);
    expect((await postSigned(url, contactReceived(), { secrets: [secret], timestamp: new Date(Date.now() + 6 * 60_000) })).status).toBe(401);
    expect((await postSigned(url, contactReceived(), { secrets: [secret], timestamp: new Date(Date.now() - 4 * 60_000) })).status).toBe(200);
    await run('dave', 'team intake off');
    expect((await postSigned(url, contactReceived(), { secrets: [secret] })).status).toBe(404);
  });

  it('takes the old secret for 24 h after a rotation, and both signatures at once', async () => {
    const rotated = /whsec_\S+/.exec(await say('dave', 'team intake rotate'))![0];
    expect((await postSigned(url, contactReceived(), { secrets: [secret] })).status).toBe(200);
    expect((await postSigned(url, contactReceived(), { secrets: [rotated] })).status).toBe(200);
    expect((await postSigned(url, contactReceived(), { secrets: [secret, rotated] })).status).toBe(200);
    clock.advance({ hours: 24, minutes: 1 });
    expect((await postSigned(url, contactReceived({ receivedAt: null }), { secrets: [secret] })).status).toBe(401);
    expect((await postSigned(url, contactReceived({ receivedAt: null }), { secrets: [secret, rotated] })).status).toBe(200);
  });

  it('answers 400 naming the field and what it should be, the same again on a retry, writing nothing', async () => {
    const cases: Array<[unknown, string, RegExp]> = [
      [contactReceived({ customer: { name: '张先生', phone: '138' } }), 'data.customer.phone', /"138" is not a valid phone number\. Expected a full phone number/],
      [contactReceived({ channel: '短信' }), 'data.channel', /Unknown channel "短信"/],
      [contactReceived({ customer: { phone: '13812345678' } }), 'data.customer.name', /required\. Expected the customer's name/],
      [contactReceived({ receivedAt: '2026-11-20T10:00:00+08:00' }), 'data.receivedAt', /too far back.*at most 10 days back/],
      [contactReceived({ receivedAt: '2026-12-07T11:00:00+08:00' }), 'data.receivedAt', /in the future/],
      [contactReceived({ receivedAt: 'yesterday' }), 'data.receivedAt', /Expected an ISO 8601 time/],
      [contactReceived({ owner: 'zed' }), 'data.owner', /"zed" is no member of the team/],
      [contactReceived({ text: 'x'.repeat(2001) }), 'data.text', /too long/],
      [{ ...contactReceived(), type: 'contact.deleted' }, 'type', /Expected "contact.received"/],
      [{ data: {} }, 'type', /required/],
    ];
    for (const [payload, field, message] of cases) {
      const res = await postSigned(url, payload, { secrets: [secret], id: `msg_${field}_${cases.indexOf(cases.find((c) => c[0] === payload)!)}` });
      expect(res.status, field).toBe(400);
      const error = (res.body as { error: { code: string; field: string; message: string } }).error;
      expect(error.field).toBe(field);
      expect(error.message).toMatch(message);
      const retry = await postSigned(url, payload, { secrets: [secret], id: res.id });
      expect(retry).toMatchObject({ status: 400, body: res.body });
    }
    const notJson = await postSigned(url, null, { secrets: [secret], body: '{"type":' });
    expect(notJson).toMatchObject({ status: 400, body: { error: { code: 'invalid_json' } } });
    expect(await contacts()).toEqual([]);
  });

  it('refuses a body over 64 KB unread', async () => {
    const res = await postSigned(url, contactReceived({ text: 'x'.repeat(70_000) }), { secrets: [secret] });
    expect(res).toMatchObject({ status: 413, body: { error: { code: 'too_large' } } });
    expect(await contacts()).toEqual([]);
  });
});
