import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Database } from '../../../db/database';
import { conversationRepository } from '../../../db/repositories/conversations';
import type { CommandOutcome, CommandRequest, CommandService } from '../../app/commands/command-service';
import { parseChannel, type ContactChannel } from '../../core/channels';
import type { Clock } from '../../core/time/clock';
import type { LogFields } from '../../core/grammar/commands';
import { optionalComplaintFields } from '../../core/contact-draft';
import type { Platform } from '../../core/model';
import type { LogField } from '../../core/result';
import { LANGS, t, type Lang, type MessageKey } from '../../i18n';
import { textMessage, type Message } from '../message';

const STEPS: ReadonlyArray<{ field: LogField; prompt: MessageKey; optional: boolean }> = [
  { field: 'channel', prompt: 'form.promptChannel', optional: false },
  { field: 'customer', prompt: 'form.promptCustomer', optional: false },
  { field: 'phone', prompt: 'form.promptPhone', optional: true },
  { field: 'at', prompt: 'form.promptAt', optional: true },
  { field: 'note', prompt: 'form.promptNote', optional: true },
  // Asked for complaints only.
  { field: 'level', prompt: 'form.promptLevel', optional: true },
  { field: 'category', prompt: 'form.promptCategory', optional: true },
];
const COMPLAINT_ONLY: ReadonlySet<LogField> = new Set(['level', 'category']);
/** A chat cannot send an empty message: these words leave an optional answer empty. */
const SKIP_WORDS = new Set(['-', '－', '—', '跳过', '无', 'skip', 'none']);
const CANCEL_WORDS = new Set(['/cancel', 'cancel', '取消', '/取消']);
/** An unanswered form ends on its own after this long. */
export const FORM_EXPIRES_MS = 30 * 60_000;
const KIND = 'log-form';

const stateSchema = z.object({
  step: z
    .number()
    .int()
    .min(0)
    .max(STEPS.length - 1),
  values: z.record(z.string(), z.string()),
  /** Where to return after re-asking one field that failed its check. */
  resumeAt: z.number().int().nullable(),
  lang: z.enum(LANGS),
  /** The channel the form was opened from (a team channel picks the team). */
  channelId: z.string().nullable(),
  startedAt: z.string(),
  /** The platform id of the message that gave the last answer: the same message again (a re-push) is not a second answer. */
  lastKey: z.string().nullable().optional(),
});
type FormState = z.infer<typeof stateSchema>;

/** What to tell the person after a step of the form. */
export interface FormReply {
  /** For the person, in order: the form's title, a problem with the answer, that it was cancelled. */
  readonly messages: readonly Message[];
  /** The next question; null once the form has ended. */
  readonly prompt: string | null;
  /** The command's outcome once the form was submitted: its reply and the notices it causes. */
  readonly outcome?: CommandOutcome;
}

export type FormAnswer = { readonly kind: 'none' } | { readonly kind: 'expired'; readonly notice: Message } | ({ readonly kind: 'reply' } & FormReply);

export interface LogFormDeps {
  readonly db: Kysely<Database>;
  readonly service: CommandService;
  readonly clock: Clock;
  readonly platform: Platform;
}

/** A line that is a command even while a form waits for an answer. */
export const isCommandLine = (text: string): boolean => /^\/cs(\s|$)/i.test(text.trim());

/**
 * The log form as a guided conversation, where a platform has no modal (the
 * sandbox, DingTalk, WeCom): one question at a time in the person's private chat,
 * each answer checked at once, the same checks and write as `/cs log` at the end.
 * Its state lives in the database: it survives a restart and any replica can take
 * the next answer. `/cancel` (取消) or 30 minutes without an answer ends it.
 */
export function createLogForm(deps: LogFormDeps) {
  const { db, service, clock, platform } = deps;
  const expiry = () => new Date(clock.now().toMillis() + FORM_EXPIRES_MS);
  const promptOf = (state: FormState) => t(state.lang, STEPS[state.step]!.prompt);

  async function load(userId: string): Promise<{ state: FormState; version: number; expired: boolean } | null> {
    const stored = await conversationRepository.find(db, platform, userId);
    if (!stored || stored.kind !== KIND) return null;
    const state = stateSchema.safeParse(stored.state);
    // An unreadable state (an older shape) is dropped rather than guessed at.
    if (!state.success) {
      await conversationRepository.end(db, platform, userId, stored.version);
      return null;
    }
    return { state: state.data, version: stored.version, expired: stored.expiresAt.getTime() <= clock.now().toMillis() };
  }

  /** Opens the form for the person who asked; `channel` and `note` come filled in when known. */
  async function start(request: CommandRequest, open: { lang: Lang; channel?: ContactChannel; note?: string }): Promise<FormReply> {
    const channel = open.channel ?? '';
    const state: FormState = {
      // `/cs complaint` alone: the channel is known, so the form starts at the customer.
      step: channel ? 1 : 0,
      values: { channel, customer: '', phone: '', at: '', note: open.note ?? '', level: '', category: '' },
      resumeAt: null,
      lang: open.lang,
      channelId: request.channelId,
      startedAt: clock.now().toISO()!,
    };
    await conversationRepository.start(db, platform, request.userId, KIND, state, clock.now().toJSDate(), expiry());
    const title = t(open.lang, channel === 'complaint' ? 'form.titleComplaint' : 'form.title');
    return { messages: [textMessage(`${title} ${t(open.lang, 'form.cancelHint')}`)], prompt: promptOf(state) };
  }

  /** The question waiting for the person's answer, if a form is open. */
  async function prompt(userId: string): Promise<string | null> {
    const found = await load(userId);
    return found && !found.expired ? promptOf(found.state) : null;
  }

  /**
   * For after another command's answer while a form waits: that it still waits, its question,
   * and how to drop it; null when no form waits.
   */
  async function stillWaiting(userId: string): Promise<Message | null> {
    const found = await load(userId);
    if (!found || found.expired) return null;
    const question = promptOf(found.state)
      .trim()
      .replace(/[：:]$/, '');
    return textMessage(t(found.state.lang, 'form.stillWaiting', { prompt: question }));
  }

  /** Takes the person's next line as the answer to the open form; `none` when no form waits for one. */
  async function answer(request: CommandRequest, line: string): Promise<FormAnswer> {
    const found = await load(request.userId);
    if (!found) return { kind: 'none' };
    const { state, version } = found;
    if (found.expired) {
      await conversationRepository.end(db, platform, request.userId, version);
      return { kind: 'expired', notice: textMessage(t(state.lang, 'form.expired')) };
    }
    if (request.requestKey && state.lastKey === request.requestKey) return { kind: 'reply', messages: [], prompt: promptOf(state) };
    const text = line.trim();
    if (CANCEL_WORDS.has(text.toLowerCase())) {
      await conversationRepository.end(db, platform, request.userId);
      return { kind: 'reply', messages: [textMessage(t(state.lang, 'form.cancelled'))], prompt: null };
    }
    const step = STEPS[state.step]!;
    const value = step.optional && SKIP_WORDS.has(text.toLowerCase()) ? '' : text;
    const asker = { ...request, channelId: state.channelId };
    const problem = step.optional || value !== '' ? await service.checkFormField(asker, step.field, value) : await service.checkFormField(asker, step.field, '');
    if (problem) return { kind: 'reply', messages: [textMessage(problem)], prompt: promptOf(state) };

    const next: FormState = { ...state, values: { ...state.values, [step.field]: value }, resumeAt: null, lastKey: request.requestKey ?? null };
    let nextStep = state.resumeAt ?? state.step + 1;
    const complaint = parseChannel(next.values.channel ?? '') === 'complaint';
    while (nextStep < STEPS.length && !complaint && COMPLAINT_ONLY.has(STEPS[nextStep]!.field)) nextStep++;
    if (nextStep < STEPS.length) {
      const moved = { ...next, step: nextStep };
      // Another answer moved the form on meanwhile (two messages at once): ask what it now asks.
      if (!(await conversationRepository.advance(db, platform, request.userId, version, moved, clock.now().toJSDate(), expiry()))) {
        return { kind: 'reply', messages: [], prompt: (await prompt(request.userId)) ?? null };
      }
      return { kind: 'reply', messages: [], prompt: promptOf(moved) };
    }
    return submit(asker, next, version);
  }

  async function submit(request: CommandRequest, state: FormState, version: number): Promise<FormAnswer> {
    const { level, category, ...rest } = state.values;
    const fields: LogFields = {
      channel: rest.channel ?? '',
      customer: rest.customer ?? '',
      phone: rest.phone ?? '',
      at: rest.at ?? '',
      note: rest.note ?? '',
      ...optionalComplaintFields(level, category),
    };
    // One form logs once, however many times its last answer arrives.
    const result = await service.submitLogForm({ ...request, requestKey: `form:${platform}:${request.userId}:${state.startedAt}` }, fields);
    if (result.ok) {
      await conversationRepository.end(db, platform, request.userId);
      return { kind: 'reply', messages: [], prompt: null, outcome: result.outcome };
    }
    const retry = STEPS.findIndex((s) => s.field === result.field);
    if (retry < 0) {
      await conversationRepository.end(db, platform, request.userId);
      return { kind: 'reply', messages: [textMessage(result.message)], prompt: null };
    }
    // Back to the field that failed, then straight to the end again.
    const back = { ...state, step: retry, resumeAt: STEPS.length };
    await conversationRepository.advance(db, platform, request.userId, version, back, clock.now().toJSDate(), expiry());
    return { kind: 'reply', messages: [textMessage(result.message)], prompt: promptOf(back) };
  }

  return Object.freeze({ start, answer, prompt, stillWaiting });
}

export type LogForm = ReturnType<typeof createLogForm>;
