import type { Server } from 'node:http';
import type { App } from '@slack/bolt';
import nock from 'nock';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { registerSlackListeners } from '../../handlers/slack';
import { createSlackApp } from '../../src/chat/slack/app';
import { fakeClock } from '../helpers/clock';
import { pgliteKind, type TestDatabase } from '../helpers/db';
import { capturingLogger, seedTeam, serviceFor } from '../helpers/service';
import { eventBody, eventually, interactiveBody, RESPONSE_HOST, sendToSlackEndpoint, SIGNING_SECRET, SLACK_API, slashCommandBody, urlOf } from '../helpers/slack';

interface Call {
  readonly method: string;
  readonly args: Record<string, unknown>;
}

/** Web API arguments arrive form-encoded (blocks as JSON) or as JSON. */
function argsOf(body: unknown): Record<string, unknown> {
  if (typeof body !== 'string') return (body ?? {}) as Record<string, unknown>;
  if (body.startsWith('{')) return JSON.parse(body) as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [k, v] of new URLSearchParams(body)) out[k] = /^[[{]/.test(v) ? JSON.parse(v) : v;
  return out;
}

const allText = (payload: unknown) => JSON.stringify(payload);

describe('the Slack adapter over Bolt’s HTTP receiver', () => {
  let tdb: TestDatabase;
  let app: App;
  let server: Server;
  let url: string;
  const calls: Call[] = [];
  const responses: Array<Record<string, unknown>> = [];
  const uploads: string[] = [];
  const clock = fakeClock('2026-11-24T10:00:00+08:00');
  const captured = capturingLogger('debug');
  const { logger, lines: logLines } = captured;

  const contacts = async () =>
    Number(
      (
        await tdb.db
          .selectFrom('contacts')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  beforeAll(async () => {
    nock.disableNetConnect();
    nock.enableNetConnect('127.0.0.1');
    tdb = await pgliteKind.open();
  });

  beforeEach(async () => {
    calls.length = 0;
    responses.length = 0;
    uploads.length = 0;
    await tdb.reset();
    await seedTeam(tdb.db, { channelId: 'C_TEAM', members: { UALICE: 'specialist', UBOB: 'specialist', UCAROL: 'supervisor' } });
    nock(SLACK_API)
      .persist()
      .post(/\/api\/.+/)
      .reply(200, (uri, body) => {
        const method = uri.replace('/api/', '');
        calls.push({ method, args: argsOf(body) });
        if (method === 'auth.test') return { ok: true, user_id: 'UBOT', bot_id: 'BBOT', team_id: 'T1' };
        if (method === 'views.open') return { ok: true, view: { id: 'V1' } };
        if (method === 'conversations.open') return { ok: true, channel: { id: 'D_CAROL' } };
        if (method === 'files.getUploadURLExternal') return { ok: true, upload_url: `${SLACK_API}/upload/F1`, file_id: 'F1' };
        if (method === 'files.completeUploadExternal') return { ok: true, files: [{ id: 'F1' }] };
        return { ok: true, ts: '1.000001', channel: 'D1' };
      });
    nock(SLACK_API)
      .persist()
      .post(/\/upload\/.+/)
      .reply(200, (_uri, body) => {
        uploads.push(typeof body === 'string' ? body : JSON.stringify(body));
        return 'OK';
      });
    nock(RESPONSE_HOST)
      .persist()
      .post(/.*/)
      .reply(200, (_uri, body) => {
        responses.push(argsOf(body));
        return 'ok';
      });
    const { service } = serviceFor(tdb.db, clock, { logger: captured });
    app = createSlackApp({
      slack: { kind: 'http', botToken: 'xoxb-test-token', signingSecret: SIGNING_SECRET, port: 0 },
      slackApiUrl: `${SLACK_API}/api/`,
      listeners: (bolt, gateway) => registerSlackListeners(bolt, { service, gateway, logger }),
      logger,
    });
    server = (await app.start(0)) as Server;
    url = urlOf(server);
  });

  afterEach(async () => {
    await app.stop();
    nock.cleanAll();
  });

  afterAll(async () => {
    nock.enableNetConnect();
    await tdb.close();
  });

  /** alice's submission of the log form: menus by the value picked, text fields as typed (null: left empty). */
  const logFormBody = (viewId: string, privateMetadata: string, fields: Record<string, string | null>) =>
    interactiveBody({
      type: 'view_submission',
      team: { id: 'T1' },
      user: { id: 'UALICE', name: 'alice' },
      api_app_id: 'A1',
      trigger_id: `trigger.${viewId}`,
      view: {
        id: viewId,
        callback_id: 'log_contact',
        private_metadata: privateMetadata,
        state: {
          values: Object.fromEntries(
            Object.entries(fields).map(([block, value]) => [
              block,
              ['channel', 'level', 'category'].includes(block)
                ? { value: { type: 'static_select', selected_option: value === null ? null : { value } } }
                : { value: { type: 'plain_text_input', value } },
            ]),
          ),
        },
      },
    });

  /** A click on an interactive element of a message in the team channel. */
  const press = (userId: string, triggerId: string, action: Record<string, unknown>) =>
    sendToSlackEndpoint(
      url,
      interactiveBody({
        type: 'block_actions',
        team: { id: 'T1' },
        user: { id: userId, name: userId.slice(1).toLowerCase() },
        api_app_id: 'A1',
        trigger_id: triggerId,
        channel: { id: 'C_TEAM', name: 'project' },
        container: { type: 'message', message_ts: '1.1' },
        response_url: `${RESPONSE_HOST}/actions/${triggerId}`,
        actions: [action],
      }),
      'application/x-www-form-urlencoded',
    );

  const slash = (userId: string, text: string, opts = {}) => sendToSlackEndpoint(url, slashCommandBody(userId, text), 'application/x-www-form-urlencoded', opts);

  it('acknowledges a signed /cs log and answers privately with the id, masked phone and due time', async () => {
    const res = await slash('UALICE', 'log wechat 张先生 13812345678 问车位价格');
    expect(res.status).toBe(200);
    await eventually(() => responses.length === 1, 'the reply through response_url');
    const reply = responses[0]!;
    expect(reply.response_type).toBe('ephemeral');
    const text = allText(reply);
    expect(text).toContain('Logged #1001');
    expect(text).toContain('138****5678');
    expect(text).not.toContain('13812345678');
    expect(text).toContain('2026-11-24 10:30 (within 30 min, working time)');
    expect(text).toContain('"action_id":"run_command_0"');
    expect(await contacts()).toBe(1);
  });

  it.each([
    ['unsigned', { unsigned: true }],
    ['signed with the wrong secret', { secret: 'not-the-secret' }],
    ['signed more than five minutes ago', { timestamp: Math.floor(Date.now() / 1000) - 6 * 60 }],
  ])('rejects a request %s with 401 and writes nothing', async (_name, opts) => {
    const res = await slash('UALICE', 'log wechat 张先生 13812345678 forged', opts);
    expect(res.status).toBe(401);
    await new Promise((r) => setTimeout(r, 100));
    expect(responses).toEqual([]);
    expect(await contacts()).toBe(0);
  });

  it('keeps what people typed inert: no mention, channel ping or link formed from a name or note, in blocks or fallback text', async () => {
    await slash('UALICE', 'log wechat <!here> 13812345678 请 <@UCAROL|carol> 看 <#C_TEAM|team> 和 <https://evil.example|报价单> <!subteam^S1|@sales>');
    await eventually(() => responses.length === 1, 'the reply through response_url');
    const reply = responses[0]!;
    const text = allText(reply);
    expect(text).toContain('@here');
    expect(text).toContain('请 @carol 看 #team 和 报价单 (https://evil.example) @sales');
    // Nothing Slack would turn live: no <!…>, no <@…>, no <#…>, no <http…>, in the blocks or the fallback text.
    expect(String(reply.text)).not.toMatch(/<[!@#h]/);
    expect(JSON.stringify(reply.blocks)).not.toMatch(/<[!@#h]/);
    const stored = await tdb.db.selectFrom('contacts').innerJoin('customers', 'customers.id', 'contacts.customer_id').select(['customers.name', 'contacts.note']).executeTakeFirstOrThrow();
    expect(stored).toEqual({ name: '@here', note: '请 @carol 看 #team 和 报价单 (https://evil.example) @sales' });
  });

  it('answers a malformed command with what was wrong and the right form', async () => {
    await slash('UALICE', 'log sms 张三 hi');
    await eventually(() => responses.length === 1, 'the error reply');
    const text = allText(responses[0]);
    expect(text).toContain('Unknown channel \\"sms\\"');
    expect(text).toContain('Use: `/cs log &lt;channel&gt;');
    expect(await contacts()).toBe(0);
  });

  it('opens the log form for /cs log alone, and logs what the form submits once', async () => {
    await slash('UALICE', 'log');
    await eventually(() => calls.some((c) => c.method === 'views.open'), 'views.open');
    const open = calls.find((c) => c.method === 'views.open')!;
    expect(open.args.trigger_id).toMatch(/^trigger\./);
    const view = open.args.view as { callback_id: string; private_metadata: string };
    expect(view.callback_id).toBe('log_contact');

    const submission = (phone: string) => logFormBody('V1', view.private_metadata, { channel: 'email', customer: '王女士', phone, at: null, note: '合同条款' });
    const bad = await sendToSlackEndpoint(url, submission('12345'), 'application/x-www-form-urlencoded');
    expect(bad.status).toBe(200);
    expect(JSON.parse(bad.body)).toEqual({ response_action: 'errors', errors: { phone: '"12345" is not a valid phone number.' } });
    expect(await contacts()).toBe(0);

    const good = await sendToSlackEndpoint(url, submission('13900001111'), 'application/x-www-form-urlencoded');
    expect(good.status).toBe(200);
    expect(await contacts()).toBe(1);
    // Slack may deliver a double-clicked submit twice: the view id makes it one contact.
    await sendToSlackEndpoint(url, submission('13900001111'), 'application/x-www-form-urlencoded');
    expect(await contacts()).toBe(1);
    await eventually(() => calls.filter((c) => c.method === 'chat.postMessage').length === 2, 'the confirmations by DM');
    const dm = calls.find((c) => c.method === 'chat.postMessage')!;
    expect(dm.args.channel).toBe('UALICE');
    expect(allText(dm.args)).toContain('139****1111');
  });

  it('opens the log form from a message shortcut, with the message as its note', async () => {
    const res = await sendToSlackEndpoint(
      url,
      interactiveBody({
        type: 'message_action',
        callback_id: 'log_from_message',
        trigger_id: 'trigger.shortcut',
        action_ts: '1.6',
        message_ts: '1.5',
        team: { id: 'T1' },
        user: { id: 'UALICE', name: 'alice' },
        channel: { id: 'C_TEAM', name: 'project' },
        message: { type: 'message', user: 'UCUST', ts: '1.5', text: '王女士问：地下车位还有吗？' },
        response_url: `${RESPONSE_HOST}/shortcut/1`,
      }),
      'application/x-www-form-urlencoded',
    );
    expect(res.status).toBe(200);
    await eventually(() => calls.some((c) => c.method === 'views.open'), 'views.open');
    const view = calls.find((c) => c.method === 'views.open')!.args.view as {
      title: { text: string };
      blocks: Array<{ block_id: string; element: { initial_value?: string } }>;
      private_metadata: string;
    };
    expect(view.title.text).toBe('Log a customer contact');
    expect(view.blocks.find((b) => b.block_id === 'note')!.element.initial_value).toBe('王女士问：地下车位还有吗？');
    expect(JSON.parse(view.private_metadata)).toEqual({ origin: 'C_TEAM' });
    expect(await contacts()).toBe(0);
  });

  it('opens the form for /cs complaint with the channel set, and takes its level and category', async () => {
    await slash('UALICE', 'complaint');
    await eventually(() => calls.some((c) => c.method === 'views.open'), 'views.open');
    const view = calls.find((c) => c.method === 'views.open')!.args.view as {
      private_metadata: string;
      blocks: Array<{ block_id: string; element: { initial_option?: { value: string }; options?: Array<{ value: string }> } }>;
    };
    expect(view.blocks.find((b) => b.block_id === 'channel')!.element.initial_option).toMatchObject({ value: 'complaint' });
    expect(view.blocks.find((b) => b.block_id === 'level')!.element.options!.map((o) => o.value)).toEqual(['normal', 'major', 'urgent']);
    const res = await sendToSlackEndpoint(
      url,
      logFormBody('V2', view.private_metadata, { channel: 'complaint', customer: '钱先生', phone: null, at: null, note: '外墙渗水', level: 'urgent', category: 'quality' }),
      'application/x-www-form-urlencoded',
    );
    expect(res.status).toBe(200);
    await eventually(async () => (await contacts()) === 1, 'the complaint logged');
    expect(await tdb.db.selectFrom('contacts').select(['channel', 'level', 'category']).executeTakeFirstOrThrow()).toEqual({ channel: 'complaint', level: 'urgent', category: 'quality' });
  });

  it('runs the command a button carries, as the person who pressed it', async () => {
    await slash('UALICE', 'log wechat 张先生 hi');
    await eventually(() => responses.length === 1, 'the log reply');
    const res = await press('UCAROL', 'trigger.button', { type: 'button', action_id: 'run_command_0', block_id: 'b1', value: 'reply 1001', action_ts: '1700000000.1' });
    expect(res.status).toBe(200);
    await eventually(() => responses.length === 2, 'the button reply');
    expect(allText(responses[1])).toContain('#1001: first response recorded (2026-11-24 10:00).');
    const row = await tdb.db.selectFrom('contact_events').select(['kind', 'actor_user_id']).where('kind', '=', 'replied').executeTakeFirstOrThrow();
    expect(row.actor_user_id).toBe('UCAROL');
  });

  it('hands a contact over to the colleague a supervisor picks from the reassign menu', async () => {
    await slash('UALICE', 'log wechat 张先生 hi');
    await eventually(() => responses.length === 1, 'the log reply');
    const res = await press('UCAROL', 'trigger.pick', { type: 'users_select', action_id: 'pick_user:assign 1001', block_id: 'b2', selected_user: 'UBOB', action_ts: '1700000000.2' });
    expect(res.status).toBe(200);
    await eventually(() => responses.length === 2, 'the reassign reply');
    const row = await tdb.db.selectFrom('contacts').select(['owner_user_id']).where('id', '=', 1001).executeTakeFirstOrThrow();
    expect(row.owner_user_id).toBe('UBOB');
    const event = await tdb.db.selectFrom('contact_events').select(['actor_user_id']).where('kind', '=', 'reassigned').executeTakeFirstOrThrow();
    expect(event.actor_user_id).toBe('UCAROL');
  });

  it('uploads an export to the requester’s DM with files.uploadV2', async () => {
    await slash('UALICE', 'log wechat 张先生 13812345678 问价');
    await eventually(() => responses.length === 1, 'the log reply');
    await slash('UCAROL', 'export week');
    await eventually(() => calls.some((c) => c.method === 'files.completeUploadExternal'), 'the upload completed');
    expect(calls.find((c) => c.method === 'conversations.open')!.args).toMatchObject({ users: 'UCAROL' });
    expect(calls.find((c) => c.method === 'files.getUploadURLExternal')!.args.filename).toMatch(/^contacts-2026-11-18-2026-11-24-.*\.csv$/);
    expect(calls.find((c) => c.method === 'files.completeUploadExternal')!.args).toMatchObject({ channel_id: 'D_CAROL' });
    expect(uploads.join('')).toContain('138****5678');
    expect(uploads.join('')).not.toContain('13812345678');
    await eventually(() => responses.length === 3, 'the export replies');
    expect(allText(responses.slice(1))).toContain('Exported 1 contacts');
    expect(allText(responses.slice(1))).toContain('The file is in your DM.');
  });

  it('answers an @mention privately in the channel and logs a retried event once', async () => {
    const mention = eventBody('Ev1', {
      type: 'app_mention',
      user: 'UALICE',
      text: '<@UBOT> log missed 李先生 13812345678 回电',
      channel: 'C_TEAM',
      ts: '1.2',
      event_ts: '1.2',
    });
    expect((await sendToSlackEndpoint(url, mention, 'application/json')).status).toBe(200);
    await eventually(() => calls.some((c) => c.method === 'chat.postEphemeral'), 'the ephemeral reply');
    const retry = await sendToSlackEndpoint(url, mention, 'application/json', { headers: { 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' } });
    expect(retry.status).toBe(200);
    await eventually(() => calls.filter((c) => c.method === 'chat.postEphemeral').length === 2, 'the retry answered');
    expect(await contacts()).toBe(1);
    const ephemeral = calls.find((c) => c.method === 'chat.postEphemeral')!;
    expect(ephemeral.args).toMatchObject({ channel: 'C_TEAM', user: 'UALICE' });
    expect(allText(ephemeral.args)).toContain('Logged #1001');
  });

  it('takes a direct message as a command without /cs and answers in the DM', async () => {
    const dm = eventBody('Ev2', {
      type: 'message',
      channel_type: 'im',
      user: 'UALICE',
      text: 'mine',
      channel: 'D_ALICE',
      ts: '1.3',
      event_ts: '1.3',
      client_msg_id: 'm-1',
    });
    expect((await sendToSlackEndpoint(url, dm, 'application/json')).status).toBe(200);
    await eventually(() => calls.some((c) => c.method === 'chat.postMessage'), 'the DM reply');
    const reply = calls.find((c) => c.method === 'chat.postMessage')!;
    expect(reply.args.channel).toBe('D_ALICE');
    expect(allText(reply.args)).toContain('You have no open customer contacts.');
  });

  it('never writes the bot token or a full phone number to the log, even at debug level', async () => {
    logLines.length = 0;
    await slash('UALICE', 'log wechat 张先生 13812345678 hi');
    await eventually(() => responses.length === 1, 'the reply');
    // The owner asks by DM: the answer carries the full phone, and Bolt logs request bodies at debug level.
    const dm = eventBody('Ev3', { type: 'message', channel_type: 'im', user: 'UALICE', text: 'customer 13812345678', channel: 'D_ALICE', ts: '1.4', event_ts: '1.4' });
    await sendToSlackEndpoint(url, dm, 'application/json');
    await eventually(() => calls.some((c) => c.method === 'chat.postMessage'), 'the DM answer');
    expect(allText(calls.find((c) => c.method === 'chat.postMessage')!.args)).toContain('13812345678');
    const log = logLines.join('');
    expect(log).toContain('contact logged');
    expect(log).toContain('chat.postMessage');
    expect(log).toContain('138****5678');
    expect(log).not.toContain('13812345678');
    expect(log).not.toContain('xoxb-test-token');
  });
});
