import { createSandboxGateway } from '../../src/chat/sandbox/gateway';
import { createLogForm } from '../../src/chat/conversation/log-form';
import { createSandboxSession } from '../../src/chat/sandbox/sandbox';
import { botRunner, type Delivery, type Person, type PlatformHarness } from './harness';

const IDS: Record<Person, string> = { manager: 'dave', supervisor: 'carol', alice: 'alice', bob: 'bob' };

/** The terminal sandbox: `/cs …` is typed in #demo (answers only you see), a line without `/` is a DM to the bot. */
export function sandboxHarness(): PlatformHarness {
  const runner = botRunner(() => ({ BOOTSTRAP_ADMINS: IDS.manager }));
  let printed = '';
  let session: ReturnType<typeof createSandboxSession> | null = null;

  async function open() {
    const bot = await runner.open({ stdout: { write: (text: string) => ((printed += text), true) } as never });
    // The session the terminal would run, on the bot's service, printing through its gateway.
    session = createSandboxSession({
      service: bot.service,
      forms: createLogForm({ db: runner.db, service: bot.service, clock: runner.clock, platform: 'sandbox' }),
      gateway: createSandboxGateway((text) => (printed += text), runner.exportDir),
      write: () => {},
      user: IDS.alice,
      defaultLang: 'zh-CN',
    });
  }

  async function line(person: Person, text: string): Promise<void> {
    await session!.handleLine(`/as ${IDS[person]}`);
    await session!.handleLine(text);
    // The form's question is the terminal's prompt: shown to the person like any answer.
    const prompt = await session!.promptText();
    if (prompt !== `${IDS[person]}> `) printed += `[ephemeral ${IDS[person]}] ${prompt}\n`;
  }

  /** Printed messages: `[#demo] …`, `[DM x] …`, `[ephemeral x] …`, continuation lines indented. */
  function parse(out: string): Delivery[] {
    const deliveries: Array<{ where: string; lines: string[] }> = [];
    for (const l of out.split('\n')) {
      const head = /^\[(#\S+|DM (\S+)|ephemeral (\S+))\] ?(.*)$/.exec(l);
      if (head) deliveries.push({ where: (head[2] ?? head[3]) ? `private:${head[2] ?? head[3]}` : 'group', lines: [head[4]!] });
      else if (deliveries.length && l.startsWith('    ')) deliveries.at(-1)!.lines.push(l.slice(4));
    }
    return deliveries.map(({ where, lines }) => {
      const text = lines.join('\n');
      const image = /(图表已保存到|chart saved to) \S+\.png/.test(text);
      return { where, text, commands: [...text.matchAll(/\[[^\]:]+: \/cs ([^\]]+)\]/g)].map((m) => m[1]!), ...(image ? { image } : {}) };
    });
  }

  return {
    name: 'sandbox',
    clock: runner.clock,
    id: (p) => IDS[p],
    mention: (p) => `@${IDS[p]}`,
    async start() {
      printed = '';
      await runner.reset();
      await open();
    },
    stop: () => runner.close(),
    dispose: () => runner.dispose(),
    async restart() {
      await runner.close();
      await open();
    },
    say: (person, text, where) => line(person, where === 'group' ? `/cs ${text}` : text),
    tap: (person, command) => line(person, `/cs ${command}`),
    async take() {
      const out = printed;
      printed = '';
      return parse(out);
    },
    sweep: async () => void (await runner.bot.nags.sweepNow()),
    postDigests: async () => void (await runner.bot.digests.postDue()),
  };
}
