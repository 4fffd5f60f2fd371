import { startFakeDingTalk, until, type DingTalkSend, type FakeDingTalk } from '../helpers/fake-dingtalk';
import { botRunner, settle, type Delivery, type Person, type PlatformHarness } from './harness';

const IDS: Record<Person, string> = { manager: 'staff-dave', supervisor: 'staff-carol', alice: 'staff-alice', bob: 'staff-bob' };
const NICKS: Record<Person, string> = { manager: '王经理', supervisor: '李主管', alice: '张小艾', bob: '赵小波' };
const TEAM_GROUP = 'cidTEAMGROUP==';
const MENTION = /\u0001(\w+)\u0001/g;

/** What a person reads in a DingTalk markdown message, and the commands its dtmd links send. */
function readDingTalk(send: DingTalkSend): { text: string; commands: string[]; image?: boolean } {
  if (send.msgKey === 'sampleImageMsg') return { text: `[image ${String(send.param.photoURL)}]`, commands: [], image: true };
  // What a link sends when tapped, as the button's command (without the `/cs` it carries).
  const commands = [...send.text.matchAll(/\]\(dtmd:\/\/dingtalkclient\/sendMessage\?content=([^)]+)\)/g)].map((m) => decodeURIComponent(m[1]!).replace(/^\/cs /, ''));
  const text = send.msgKey === 'sampleFile' ? `[file ${String(send.param.fileName)}]` : send.text.replace(/\]\(dtmd:[^)]+\)/g, ']');
  return { text, commands };
}

/**
 * DingTalk through the bot's real Stream client and robot API client, over a real
 * WebSocket and HTTP to a fake DingTalk on 127.0.0.1.
 */
export function dingtalkHarness(): PlatformHarness & { fake(): FakeDingTalk } {
  let fake: FakeDingTalk | null = null;
  const runner = botRunner(() => ({
    DINGTALK_CLIENT_ID: fake!.clientId,
    DINGTALK_CLIENT_SECRET: fake!.clientSecret,
    DINGTALK_API_URL: fake!.url,
    BOOTSTRAP_ADMINS: IDS.manager,
  }));
  const chats = new Map<string, string>();
  let last: { person: Person; text: string; group: boolean; msgId: string } | null = null;

  function where(send: DingTalkSend): string {
    if (send.via === 'dm') return `private:${send.to}`;
    if (send.to === TEAM_GROUP) return 'group';
    return chats.has(send.to) ? `private:${chats.get(send.to)}` : `other:${send.to}`;
  }

  async function push(person: Person, typed: string, group: boolean, msgId?: string): Promise<void> {
    const mentions = [...typed.matchAll(MENTION)].map((m) => IDS[m[1] as Person]);
    // DingTalk takes the @names of real mentions out of the text and lists them apart.
    const text = typed.replace(MENTION, '').replace(/ {2,}/g, ' ');
    chats.set(`cid-1on1-${IDS[person]}`, IDS[person]);
    const pushed = fake!.pushRobotMessage({ from: IDS[person], nick: NICKS[person], text, mentions, ...(group ? { group: TEAM_GROUP } : {}), ...(msgId ? { msgId } : {}) });
    last = { person, text: typed, group, msgId: pushed.msgId };
    // The bot acknowledges a message once it has handled it.
    await until(() => pushed.frameIds.every((id) => fake!.acks.has(id)), 'the acknowledgement', 10_000);
  }

  return {
    name: 'dingtalk',
    clock: runner.clock,
    fake: () => fake!,
    id: (p) => IDS[p],
    mention: (p) => `\u0001${p}\u0001`,
    async start() {
      fake ??= await startFakeDingTalk();
      fake.take();
      await runner.reset();
      await runner.open();
    },
    stop: () => runner.close(),
    async dispose() {
      await runner.dispose();
      await fake?.stop();
    },
    async restart() {
      await runner.close();
      await runner.open();
    },
    say: (person, text, where) => push(person, text, where === 'group'),
    // A dtmd link sends its content (`/cs <command>`) into the person's 1:1 chat with the robot, as them.
    tap: (person, command) => push(person, `/cs ${command}`, false),
    repeatLast: () => push(last!.person, last!.text, last!.group, last!.msgId),
    async take() {
      await settle(() => fake!.sends.length);
      return fake!.take().map((send): Delivery => ({ where: where(send), ...readDingTalk(send) }));
    },
    sweep: async () => void (await runner.bot.nags.sweepNow()),
    postDigests: async () => void (await runner.bot.digests.postDue()),
  };
}
