import { sql } from 'kysely';
import { buttonKey, commandOfKey } from '../../src/chat/wecom/render';
import { startFakeWeCom, until, type FakeWeCom, type WeComSend } from '../helpers/fake-wecom';
import { botRunner, settle, type Delivery, type Person, type PlatformHarness } from './harness';

/** WeCom user ids as an admin types them (mixed case); WeCom hands them back lower-cased. */
const IDS: Record<Person, string> = { manager: 'wangjingli', supervisor: 'lizhuguan', alice: 'zhangxiaoai', bob: 'zhaoxiaobo' };
const TEAM_GROUP = 'wrTEAMGROUP';
const MENTION = /\u0001(\w+)\u0001/g;

/** What a person reads in a WeCom message, and the commands its card's buttons run. */
function readWeCom(send: WeComSend): { text: string; commands: string[]; image?: boolean } {
  if (send.msgtype === 'image') return { text: `[image ${send.content}]`, commands: [], image: true };
  const card = send.card as { main_title?: { title?: string; desc?: string }; button_list?: Array<{ text?: string; key?: string }> } | undefined;
  const buttons = card?.button_list ?? [];
  const commands = buttons.map((b) => commandOfKey(b.key ?? '')).filter((c): c is string => c !== null);
  const cardText = card ? [card.main_title?.title, card.main_title?.desc, ...buttons.map((b) => b.text)].filter(Boolean).join(' ') : '';
  const text = send.msgtype === 'template_card' ? cardText : [send.content, cardText].filter(Boolean).join('\n');
  return { text, commands };
}

/**
 * WeCom through the bot's real smart-bot connection (@wecom/aibot-node-sdk over a real
 * WebSocket) to a fake smart-bot gateway on 127.0.0.1; with `app`, DMs through the
 * self-built app's real HTTP client to the fake app API.
 */
export function wecomHarness(opts: { app?: boolean } = {}): PlatformHarness & { fake(): FakeWeCom } {
  let fake: FakeWeCom | null = null;
  const runner = botRunner(() => ({
    WECOM_BOT_ID: fake!.botId,
    WECOM_BOT_SECRET: fake!.secret,
    WECOM_WS_URL: fake!.wsUrl,
    ...(opts.app ? { WECOM_CORP_ID: fake!.corpId, WECOM_APP_SECRET: fake!.appSecret, WECOM_AGENT_ID: fake!.agentId, WECOM_API_URL: fake!.apiUrl } : {}),
    BOOTSTRAP_ADMINS: IDS.manager,
  }));
  /** Who sent the callback each reply answers, and where. */
  const callbacks = new Map<string, { person: Person; group: boolean }>();
  let last: { person: Person; text: string; group: boolean; msgid: string } | null = null;

  function where(send: WeComSend): string {
    if (send.via === 'app') return `private:${send.to}`;
    if (send.via === 'reply' || send.via === 'update') {
      const from = callbacks.get(send.reqId ?? '');
      if (!from) return `other:${send.reqId}`;
      return from.group ? 'group' : `private:${IDS[from.person]}`;
    }
    if (send.chatType === 2) return send.chatid === TEAM_GROUP ? 'group' : `other:${send.chatid}`;
    return `private:${send.chatid}`;
  }

  /** Waits until the bot has handled the callback (its hold on the message is released). */
  async function handled(msgid: string): Promise<void> {
    await until(
      async () => {
        const rows = await sql<{ held_until: Date | null }>`select held_until from request_keys where key = ${`inbound:wecom:${msgid}`}`.execute(runner.db);
        return rows.rows.length === 1 && rows.rows[0]!.held_until === null;
      },
      'the message handled',
      10_000,
    );
  }

  async function push(person: Person, typed: string, group: boolean, msgid?: string): Promise<void> {
    // People are named by their user id, as `@userid`; WeCom keeps the bot's @name in a group message.
    const text = typed.replace(MENTION, (_m, p: string) => `@${IDS[p as Person]}`);
    const pushed = fake!.pushMessage({ from: IDS[person], text: group ? `@客服助手 ${text}` : text, ...(group ? { group: TEAM_GROUP } : {}), ...(msgid ? { msgid } : {}) });
    callbacks.set(pushed.reqId, { person, group });
    last = { person, text: typed, group, msgid: pushed.msgid };
    await handled(pushed.msgid);
  }

  return {
    name: opts.app ? 'wecom+app' : 'wecom',
    clock: runner.clock,
    fake: () => fake!,
    id: (p) => IDS[p],
    mention: (p) => `\u0001${p}\u0001`,
    async start() {
      fake ??= await startFakeWeCom();
      await runner.reset();
      await runner.open();
      await until(() => fake!.liveConnections() === 1, 'the bot connected');
      // The smart bot may write first only to people who wrote to it: without the app, everyone
      // opens their chat with it once (as the README asks); with it, the app reaches the others.
      if (!opts.app) for (const person of Object.keys(IDS) as Person[]) await push(person, 'help', false);
      fake.take();
    },
    stop: () => runner.close(),
    async dispose() {
      await runner.dispose();
      await fake?.stop();
    },
    async restart() {
      await runner.close();
      await runner.open();
      await until(() => fake!.liveConnections() === 1, 'the bot connected again');
    },
    say: (person, text, where) => push(person, text, where === 'group'),
    // A card button runs its command as the person who clicks it.
    async tap(person, command) {
      const card = [...fake!.sends].reverse().find((s) => s.card && readWeCom(s).commands.includes(command))?.card as { task_id?: string } | undefined;
      const pushed = fake!.pushCardClick({ from: IDS[person], eventKey: buttonKey(command), taskId: card?.task_id ?? 'cs-task' });
      callbacks.set(pushed.reqId, { person, group: false });
      await handled(pushed.msgid);
    },
    repeatLast: () => push(last!.person, last!.text, last!.group, last!.msgid),
    async take() {
      await settle(() => fake!.sends.length);
      return fake!
        .take()
        .filter((send) => send.via !== 'update')
        .map((send): Delivery => ({ where: where(send), ...readWeCom(send), conversation: send.conversation }));
    },
    sweep: async () => void (await runner.bot.nags.sweepNow()),
    postDigests: async () => void (await runner.bot.digests.postDue()),
  };
}
