import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import type { CommandOutcome, CommandService } from '../../app/command-service';
import { DEMO_CHANNEL, DEMO_MEMBERS } from '../../app/demo-seed';
import type { LogField } from '../../core/result';
import type { LogFields } from '../../core/commands';
import { parseChannel } from '../../core/channels';
import { optionalComplaintFields } from '../../core/contact-draft';
import { t, type Lang, type MessageKey } from '../../i18n';
import type { ChatGateway } from '../gateway';
import { textMessage, type Destination } from '../message';

const FORM_STEPS: ReadonlyArray<{ field: LogField; prompt: MessageKey }> = [
  { field: 'channel', prompt: 'form.promptChannel' },
  { field: 'customer', prompt: 'form.promptCustomer' },
  { field: 'phone', prompt: 'form.promptPhone' },
  { field: 'at', prompt: 'form.promptAt' },
  { field: 'note', prompt: 'form.promptNote' },
  // Asked for complaints only.
  { field: 'level', prompt: 'form.promptLevel' },
  { field: 'category', prompt: 'form.promptCategory' },
];

const COMPLAINT_ONLY: ReadonlySet<LogField> = new Set(['level', 'category']);

interface FormState {
  step: number;
  values: Record<LogField, string>;
  /** Where to return after re-asking one field that failed its check. */
  resumeAt: number | null;
  lang: Lang;
}

export interface SandboxDeps {
  readonly service: CommandService;
  readonly gateway: ChatGateway;
  readonly input: Readable;
  readonly output: Writable;
  readonly user: string;
  readonly defaultLang: Lang;
}

/**
 * The terminal chat, like Hubot's shell adapter: you type what you would type in
 * Slack, as a demo team member in #demo. It reads line by line, so a script can
 * be piped in; it resolves when the input ends.
 */
export async function runSandbox(deps: SandboxDeps): Promise<void> {
  const { service, gateway, output } = deps;
  const interactive = Boolean((deps.input as { isTTY?: boolean }).isTTY);
  const rl = createInterface({ input: deps.input, output: interactive ? output : undefined, terminal: interactive });
  let user = deps.user;
  let form: FormState | null = null;
  const write = (text: string) => output.write(`${text}\n`);
  const users = DEMO_MEMBERS.map((m) => m.userId).join(', ');

  async function langOf(): Promise<Lang> {
    return (await service.membership(user, DEMO_CHANNEL))?.team.lang ?? deps.defaultLang;
  }

  async function describeUser(key: 'sandbox.banner' | 'sandbox.switched'): Promise<string> {
    const found = await service.membership(user, DEMO_CHANNEL);
    if (!found) return t(deps.defaultLang, 'sandbox.switchedNoTeam', { user, users });
    const { team, member } = found;
    return t(team.lang, key, { team: team.name, channel: team.channelId, user, role: t(team.lang, `role.${member.role}`), users });
  }

  const promptText = () => (form ? t(form.lang, FORM_STEPS[form.step]!.prompt) : `${user}> `);
  const showPrompt = () => {
    if (interactive) {
      rl.setPrompt(promptText());
      rl.prompt();
    }
  };

  async function deliver(outcome: CommandOutcome, replyTo: Destination): Promise<void> {
    if (outcome.reply) await gateway.send({ to: replyTo, message: outcome.reply });
    for (const notice of outcome.notices) await gateway.send(notice);
    if (outcome.file && gateway.sendFile) {
      const { savedTo } = await gateway.sendFile(outcome.file);
      if (savedTo) await gateway.send({ to: replyTo, message: textMessage(t(outcome.file.lang, 'export.savedTo', { path: savedTo })) });
    }
    if (outcome.openLogForm) {
      // `/cs complaint` alone: the channel is known, so the form starts at the customer.
      const channel = outcome.openLogForm.channel ?? '';
      form = {
        step: channel ? 1 : 0,
        values: { channel, customer: '', phone: '', at: '', note: outcome.openLogForm.note ?? '', level: '', category: '' },
        resumeAt: null,
        lang: outcome.openLogForm.lang,
      };
      write(`${t(form.lang, 'form.title')} ${t(form.lang, 'form.cancelHint')}`);
    }
  }

  async function answerForm(state: FormState, line: string): Promise<void> {
    if (line.trim() === '/cancel') {
      form = null;
      write(t(state.lang, 'form.cancelled'));
      return;
    }
    const field = FORM_STEPS[state.step]!.field;
    const problem = await service.checkFormField({ userId: user, channelId: DEMO_CHANNEL, text: '' }, field, line);
    if (problem) {
      await gateway.send({ to: { kind: 'ephemeral', channel: DEMO_CHANNEL, user }, message: textMessage(problem) });
      return;
    }
    state.values[field] = line.trim();
    let next = state.resumeAt ?? state.step + 1;
    state.resumeAt = null;
    const complaint = parseChannel(state.values.channel) === 'complaint';
    while (next < FORM_STEPS.length && !complaint && COMPLAINT_ONLY.has(FORM_STEPS[next]!.field)) next++;
    if (next < FORM_STEPS.length) {
      state.step = next;
      return;
    }
    const { level, category, ...rest } = state.values;
    const fields: LogFields = { ...rest, ...optionalComplaintFields(level, category) };
    const result = await service.submitLogForm({ userId: user, channelId: DEMO_CHANNEL, text: '' }, fields);
    const replyTo: Destination = { kind: 'ephemeral', channel: DEMO_CHANNEL, user };
    if (result.ok) {
      form = null;
      await deliver(result.outcome, replyTo);
      return;
    }
    await gateway.send({ to: replyTo, message: textMessage(result.message) });
    const retry = FORM_STEPS.findIndex((s) => s.field === result.field);
    if (retry < 0) {
      form = null;
      return;
    }
    state.resumeAt = FORM_STEPS.length;
    state.step = retry;
  }

  async function handleLine(line: string): Promise<boolean> {
    if (form) {
      await answerForm(form, line);
      return true;
    }
    const text = line.trim();
    if (text === '') return true;
    if (text === '/quit' || text === '/exit') return false;
    const as = /^\/as\s+@?(\S+)$/.exec(text);
    if (as) {
      user = as[1]!;
      write(await describeUser('sandbox.switched'));
      return true;
    }
    const slash = /^\/cs(?:\s+|$)([\s\S]*)$/.exec(text);
    if (slash) {
      const outcome = await service.handle({ userId: user, userName: user, channelId: DEMO_CHANNEL, text: slash[1] ?? '' });
      await deliver(outcome, { kind: 'ephemeral', channel: DEMO_CHANNEL, user });
      return true;
    }
    if (text.startsWith('/')) {
      write(t(await langOf(), 'sandbox.notCommand'));
      return true;
    }
    // Anything else is a direct message to the bot, as in Slack.
    const outcome = await service.handle({ userId: user, userName: user, channelId: null, text });
    await deliver(outcome, { kind: 'dm', user });
    return true;
  }

  write(await describeUser('sandbox.banner'));
  showPrompt();
  for await (const line of rl) {
    if (!interactive) write(`${promptText()}${line}`);
    if (!(await handleLine(line))) break;
    showPrompt();
  }
  rl.close();
}
