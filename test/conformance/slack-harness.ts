import nock from 'nock';
import { eventBody, interactiveBody, sendToSlackEndpoint } from '../helpers/slack';
import { botRunner, settle, type Delivery, type Person, type PlatformHarness } from './harness';

const IDS: Record<Person, string> = { manager: 'UDAVE', supervisor: 'UCAROL', alice: 'UALICE', bob: 'UBOB' };
const API = 'https://slack.conformance.test';
const HOOKS = 'https://hooks.conformance.test';
const SECRET = 'conformance-signing-secret';
const TEAM_CHANNEL = 'C_TEAM';

/** Everything a person reads in Block Kit: section, field and button texts, Slack's escapes undone. */
function readable(payload: { text?: string; blocks?: unknown[] }): { text: string; commands: string[] } {
  const texts: string[] = [];
  const commands: string[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) {
      node.forEach(walk);
      return;
    }
    if (!node || typeof node !== 'object') return;
    const o = node as Record<string, unknown>;
    if (typeof o.text === 'string') texts.push(o.text);
    if (o.type === 'button' && typeof o.value === 'string') commands.push(o.value);
    for (const [k, v] of Object.entries(o)) if (k !== 'text' || typeof v !== 'string') walk(v);
  };
  walk(payload.blocks ?? []);
  if (texts.length === 0 && payload.text) texts.push(payload.text);
  const text = texts.join('\n').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
  return { text, commands };
}

/** Slack over its real HTTP receiver with signed requests; the Web API and response URLs answered by nock. */
export function slackHarness(): PlatformHarness {
  const runner = botRunner(() => ({
    SLACK_BOT_TOKEN: 'xoxb-conformance',
    SLACK_SIGNING_SECRET: SECRET,
    SLACK_API_URL: `${API}/api/`,
    PORT: '0',
    BOOTSTRAP_ADMINS: IDS.manager,
  }));
  const delivered: Delivery[] = [];
  let n = 0;
  let last: { body: string; type: string } | null = null;
  const url = () => `http://127.0.0.1:${runner.bot.httpPort}/slack/events`;

  function intercept() {
    nock.disableNetConnect();
    nock.enableNetConnect('127.0.0.1');
    nock(API)
      .persist()
      .post(/\/api\/.+/)
      .reply(200, (uri, body) => {
        const method = uri.replace('/api/', '');
        const args = (typeof body === 'string' ? (body.startsWith('{') ? JSON.parse(body) : Object.fromEntries(new URLSearchParams(body))) : body) as Record<string, unknown>;
        const payload = { text: args.text as string | undefined, blocks: typeof args.blocks === 'string' ? JSON.parse(args.blocks) : (args.blocks as unknown[]) };
        if (method === 'chat.postMessage') {
          const channel = String(args.channel);
          const where = channel === TEAM_CHANNEL ? 'group' : `private:${channel.replace(/^D_/, 'U')}`;
          delivered.push({ where, ...readable(payload) });
        } else if (method === 'chat.postEphemeral') delivered.push({ where: `private:${String(args.user)}`, ...readable(payload) });
        // files.uploadV2's three steps: a URL for the bytes, the bytes (below), then the share into the conversation.
        if (method === 'files.getUploadURLExternal') return { ok: true, upload_url: `${API}/upload/F${++n}`, file_id: `F${n}` };
        if (method === 'files.completeUploadExternal') {
          const channel = String(args.channel_id);
          const files = JSON.parse(String(args.files)) as Array<{ id: string; title?: string }>;
          const where = channel === TEAM_CHANNEL ? 'group' : `private:${channel.replace(/^D_/, 'U')}`;
          for (const f of files) delivered.push({ where, text: `[image ${f.title ?? f.id}]`, commands: [], image: true });
          return { ok: true, files: files.map((f) => ({ id: f.id })) };
        }
        if (method === 'auth.test') return { ok: true, user_id: 'UBOT', bot_id: 'BBOT', team_id: 'T1' };
        if (method === 'conversations.open') return { ok: true, channel: { id: `D_${String(args.users).slice(1)}` } };
        return { ok: true, ts: '1.000001', channel: 'D1' };
      });
    nock(API)
      .persist()
      .post(/\/upload\/F\d+/)
      .reply(200, 'OK');
    nock(HOOKS)
      .persist()
      .post(/.*/)
      .reply(200, (uri, body) => {
        const user = uri.split('/')[1]!;
        const args = (typeof body === 'string' ? JSON.parse(body) : body) as { text?: string; blocks?: unknown[] };
        delivered.push({ where: `private:${user}`, ...readable(args) });
        return 'ok';
      });
  }

  async function post(body: string, type: string): Promise<void> {
    last = { body, type };
    const before = delivered.length;
    const res = await sendToSlackEndpoint(url(), body, type, { secret: SECRET });
    if (res.status !== 200) throw new Error(`Slack endpoint answered ${res.status}`);
    await settle(() => (delivered.length > before ? delivered.length : -Date.now()), 150);
  }

  const slash = (person: Person, text: string) =>
    new URLSearchParams({
      team_id: 'T1',
      channel_id: TEAM_CHANNEL,
      user_id: IDS[person],
      user_name: person,
      command: '/cs',
      text,
      response_url: `${HOOKS}/${IDS[person]}/${++n}`,
      trigger_id: `trigger.${n}`,
      api_app_id: 'A1',
    }).toString();

  return {
    name: 'slack',
    clock: runner.clock,
    id: (p) => IDS[p],
    mention: (p) => `<@${IDS[p]}|${p}>`,
    async start() {
      delivered.length = 0;
      intercept();
      await runner.reset();
      await runner.open();
    },
    async stop() {
      await runner.close();
      nock.cleanAll();
      nock.enableNetConnect();
    },
    dispose: () => runner.dispose(),
    async restart() {
      await runner.close();
      await runner.open();
    },
    async say(person, text, where) {
      if (where === 'group') return post(slash(person, text), 'application/x-www-form-urlencoded');
      n++;
      const event = { type: 'message', channel_type: 'im', user: IDS[person], text, channel: `D_${IDS[person].slice(1)}`, ts: `${n}.1`, event_ts: `${n}.1`, client_msg_id: `cm-${n}` };
      return post(eventBody(`Ev${n}`, event), 'application/json');
    },
    async tap(person, command) {
      n++;
      const payload = {
        type: 'block_actions',
        team: { id: 'T1' },
        user: { id: IDS[person], name: person },
        api_app_id: 'A1',
        trigger_id: `trigger.${n}`,
        channel: { id: `D_${IDS[person].slice(1)}`, name: 'directmessage' },
        container: { type: 'message', message_ts: '1.1' },
        response_url: `${HOOKS}/${IDS[person]}/${n}`,
        actions: [{ type: 'button', action_id: 'run_command_0', block_id: 'b', value: command, action_ts: `${n}.2` }],
      };
      await post(interactiveBody(payload), 'application/x-www-form-urlencoded');
    },
    async repeatLast() {
      // Slack retries an event it did not see acknowledged, with the same body and event id.
      const { body, type } = last!;
      await sendToSlackEndpoint(url(), body, type, { secret: SECRET, headers: { 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' } });
      await settle(() => delivered.length, 300);
    },
    async take() {
      await settle(() => delivered.length);
      return delivered.splice(0);
    },
    sweep: async () => void (await runner.bot.nags.sweepNow()),
    postDigests: async () => void (await runner.bot.digests.postDue()),
  };
}
