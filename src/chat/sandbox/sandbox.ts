import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import type { CommandOutcome, CommandService } from '../../app/commands/command-service';
import { DEMO_CHANNEL, DEMO_MEMBERS } from '../../app/team/demo-seed';
import { t, type Lang } from '../../i18n';
import { isCommandLine, type FormReply, type LogForm } from '../conversation/log-form';
import type { ChatGateway } from '../gateway';
import { deliverAskedImage, fileDeliveryMessage } from '../file-delivery';
import type { Destination } from '../message';

export interface SandboxSessionDeps {
  readonly service: CommandService;
  /** The guided log form, the same one DingTalk and WeCom use. */
  readonly forms: LogForm;
  readonly gateway: ChatGateway;
  /** The sandbox's own lines (banner, who you are). */
  readonly write: (line: string) => void;
  readonly user: string;
  readonly defaultLang: Lang;
}

export interface SandboxDeps extends Omit<SandboxSessionDeps, 'write'> {
  readonly input: Readable;
  readonly output: Writable;
}

/**
 * The terminal chat, like Hubot's shell adapter: you type what you would type in
 * Slack, as a demo team member in #demo. It reads line by line, so a script can
 * be piped in; it resolves when the input ends.
 */
export async function runSandbox(deps: SandboxDeps): Promise<void> {
  const { output } = deps;
  const interactive = Boolean((deps.input as { isTTY?: boolean }).isTTY);
  const rl = createInterface({ input: deps.input, output: interactive ? output : undefined, terminal: interactive });
  const write = (text: string) => output.write(`${text}\n`);
  const session = createSandboxSession({ ...deps, write });
  const showPrompt = async () => {
    if (interactive) {
      rl.setPrompt(await session.promptText());
      rl.prompt();
    }
  };
  write(await session.banner());
  await showPrompt();
  for await (const line of rl) {
    if (!interactive) write(`${await session.promptText()}${line}`);
    if (!(await session.handleLine(line))) break;
    await showPrompt();
  }
  rl.close();
}

/** One person at the sandbox's terminal (who they are can change with `/as`): each line in, its answers out. */
export function createSandboxSession(deps: SandboxSessionDeps) {
  const { service, forms, gateway, write } = deps;
  let user = deps.user;
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

  const promptText = async () => (await forms.prompt(user)) ?? `${user}> `;
  const privately = (): Destination => ({ kind: 'ephemeral', channel: DEMO_CHANNEL, user });
  const asker = () => ({ userId: user, userName: user, channelId: DEMO_CHANNEL, text: '' });

  async function deliver(outcome: CommandOutcome, replyTo: Destination): Promise<void> {
    if (outcome.reply) await gateway.send({ to: replyTo, message: outcome.reply });
    for (const notice of outcome.notices) await gateway.send(notice);
    if (outcome.file && gateway.sendFile) {
      const delivered = await gateway.sendFile(outcome.file);
      await gateway.send({ to: replyTo, message: fileDeliveryMessage(delivered, outcome.file.lang) });
    }
    if (outcome.image)
      await deliverAskedImage(
        gateway,
        outcome.image,
        (message) => gateway.send({ to: replyTo, message }),
        () => {},
      );
    if (outcome.openLogForm) await showForm(await forms.start(asker(), outcome.openLogForm));
    // Another command ran while a form waits: say so after its answer, with the question again.
    else {
      const waiting = await forms.stillWaiting(user);
      if (waiting) await gateway.send({ to: privately(), message: waiting });
    }
  }

  async function showForm(step: FormReply): Promise<void> {
    for (const message of step.messages) await gateway.send({ to: privately(), message });
    if (step.outcome) await deliver(step.outcome, privately());
  }

  async function handleLine(line: string): Promise<boolean> {
    const text = line.trim();
    // The sandbox's own words work even while a form waits for an answer.
    if (text === '/quit' || text === '/exit') return false;
    const as = /^\/as\s+@?(\S+)$/.exec(text);
    if (as) {
      user = as[1]!;
      write(await describeUser('sandbox.switched'));
      return true;
    }
    if (!isCommandLine(text)) {
      const step = await forms.answer(asker(), line);
      if (step.kind === 'reply') {
        await showForm(step);
        return true;
      }
      if (step.kind === 'expired') await gateway.send({ to: privately(), message: step.notice });
    }
    const slash = /^\/cs(?:\s+|$)([\s\S]*)$/.exec(text);
    // An empty line (Enter, spaces) is `/cs` alone: the short help.
    if (slash || text === '') {
      const outcome = await service.handle({ userId: user, userName: user, channelId: DEMO_CHANNEL, text: slash?.[1] ?? '' });
      await deliver(outcome, privately());
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

  return Object.freeze({ handleLine, promptText, banner: () => describeUser('sandbox.banner') });
}
