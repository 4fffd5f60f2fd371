import { z } from 'zod';
import type { Logger } from '../../runtime/logger';
import { DeliveryError } from '../gateway';

/** Where and as whom the robot calls DingTalk. */
export interface DingTalkApiOptions {
  /** api.dingtalk.com: the token, the robot's sends. */
  readonly apiUrl: string;
  /** oapi.dingtalk.com: media upload (files). */
  readonly oapiUrl: string;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly robotCode: string;
  readonly logger: Logger;
  /** A call that has not answered by then is given up (the outbox tries it again). */
  readonly timeoutMs?: number;
  /** Calls per second to one API: DingTalk allows 20 per app and API on its standard edition. */
  readonly callsPerSecond?: number;
}

/** DingTalk refused the app's credentials: nothing will work until they are fixed. */
export class DingTalkCredentialsError extends Error {
  constructor(detail: string) {
    super(`DingTalk refused the app's credentials (DINGTALK_CLIENT_ID / DINGTALK_CLIENT_SECRET): ${detail}`);
    this.name = 'DingTalkCredentialsError';
  }
}

const tokenSchema = z.object({ accessToken: z.string().min(1), expireIn: z.number().positive() });
const batchSendSchema = z.object({
  processQueryKey: z.string().optional(),
  invalidStaffIdList: z.array(z.string()).optional(),
  flowControlledStaffIdList: z.array(z.string()).optional(),
});
const errorSchema = z.object({ code: z.string().optional(), message: z.string().optional() });
const banSchema = z.object({ status: z.number(), wait: z.number().optional() });
const oapiSchema = z.object({ errcode: z.coerce.number(), errmsg: z.string().optional(), media_id: z.string().optional() });

/** A robot message: DingTalk's message template key and its parameters. */
export interface RobotMessage {
  readonly msgKey: string;
  readonly msgParam: Readonly<Record<string, string>>;
}

/** What a batch send did not deliver: people to try again later, and people DingTalk does not know. */
export interface BatchResult {
  readonly flowControlled: readonly string[];
  readonly invalid: readonly string[];
}

/** A token is fetched again this long before DingTalk says it expires. */
const TOKEN_MARGIN_MS = 5 * 60_000;

/**
 * The robot's calls to DingTalk's open API: an access token cached until shortly
 * before it expires (fetched again after a refusal), the batch send to people, the
 * group send, replies through a message's session webhook, and media upload. Every
 * refusal becomes a DeliveryError saying what it holds back, so the outbox knows
 * whether to wait for the person, for the whole app, or not to try again.
 */
export function createDingTalkApi(options: DingTalkApiOptions) {
  const { apiUrl, oapiUrl, logger } = options;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const pace = createCallPacer(options.callsPerSecond ?? 18);
  let token: { value: string; refreshAt: number } | null = null;
  let fetching: Promise<string> | null = null;

  async function fetchToken(): Promise<string> {
    const response = await post(`${apiUrl}/v1.0/oauth2/accessToken`, { appKey: options.clientId, appSecret: options.clientSecret });
    const parsed = tokenSchema.safeParse(response.body);
    if (response.status === 200 && parsed.success) {
      const lifeMs = parsed.data.expireIn * 1000;
      token = { value: parsed.data.accessToken, refreshAt: Date.now() + Math.max(lifeMs - TOKEN_MARGIN_MS, lifeMs / 2) };
      return token.value;
    }
    const detail = errorDetail(response);
    if (response.status >= 400 && response.status < 500 && response.status !== 429) throw new DingTalkCredentialsError(detail);
    throw new DeliveryError(`DingTalk token call failed: ${detail}`);
  }

  /** The app's access token, one fetch at a time, cached until shortly before it runs out. */
  async function accessToken(): Promise<string> {
    if (token && Date.now() < token.refreshAt) return token.value;
    fetching ??= fetchToken().finally(() => (fetching = null));
    return fetching;
  }

  /** Calls an api.dingtalk.com method with the token; a refused token is fetched again and the call made once more. */
  async function call(path: string, body: unknown, method: 'POST' | 'PUT' = 'POST'): Promise<unknown> {
    for (let attempt = 0; ; attempt++) {
      await pace(path);
      const response = await post(`${apiUrl}${path}`, body, { 'x-acs-dingtalk-access-token': await accessToken() }, method);
      if (response.status === 200) return response.body;
      const code = errorSchema.safeParse(response.body).data?.code ?? '';
      // An expired or revoked token: DingTalk answers 400 InvalidAuthentication (or 401).
      if (attempt === 0 && (response.status === 401 || code === 'InvalidAuthentication')) {
        token = null;
        continue;
      }
      throw refusal(path, response);
    }
  }

  async function post(url: string, body: unknown, headers: Record<string, string> = {}, method = 'POST'): Promise<{ status: number; body: unknown; text: string }> {
    let response: Response;
    try {
      response = await fetch(url, {
        method,
        headers: { 'content-type': 'application/json', accept: 'application/json', ...headers },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      throw new DeliveryError(`DingTalk unreachable: ${(error as Error).name === 'TimeoutError' ? `no answer in ${timeoutMs} ms` : (error as Error).message}`);
    }
    const text = await response.text().catch(() => '');
    return { status: response.status, body: parseJson(text), text };
  }

  /**
   * media/upload on oapi: a file or a picture, resolved with its media id. An answer with an
   * error code (a permission the app lacks, a type DingTalk will not take) or a 4xx is a
   * permanent refusal: a retry would get the same.
   */
  async function uploadMedia(type: 'file' | 'image', fileName: string, content: Uint8Array): Promise<string> {
    const form = new FormData();
    form.append('type', type);
    form.append('media', new Blob([content as Uint8Array<ArrayBuffer>]), fileName);
    await pace('/media/upload');
    let response: Response;
    try {
      // `type` both in the query (as media/upload's older reference shows) and in the form (as newer pages do).
      response = await fetch(`${oapiUrl}/media/upload?access_token=${encodeURIComponent(await accessToken())}&type=${type}`, {
        method: 'POST',
        body: form,
        signal: AbortSignal.timeout(timeoutMs * 3),
      });
    } catch (error) {
      throw new DeliveryError(`DingTalk media upload unreachable: ${(error as Error).message}`);
    }
    const answer = oapiSchema.safeParse(parseJson(await response.text().catch(() => '')));
    if (response.status === 200 && answer.success && answer.data.errcode === 0 && answer.data.media_id) return answer.data.media_id;
    const refused = (response.status >= 400 && response.status < 500 && response.status !== 429) || (response.status === 200 && answer.success && answer.data.errcode !== 0);
    throw new DeliveryError(`DingTalk media upload refused: HTTP ${response.status} ${answer.data?.errcode ?? ''} ${answer.data?.errmsg ?? ''}`.trim(), undefined, { permanent: refused });
  }

  return Object.freeze({
    accessToken,

    /** Checks the credentials by fetching a token: a refusal throws DingTalkCredentialsError. */
    async checkCredentials(): Promise<void> {
      token = null;
      await accessToken();
    },

    /** Any api.dingtalk.com call with the app's token (the interactive cards' send and update, see cards.ts). */
    call,
    /** The robot that sends (DINGTALK_ROBOT_CODE, else the AppKey). */
    robotCode: options.robotCode,

    /** A robot message to up to 20 people in their 1:1 chats with the robot. */
    async sendToUsers(userIds: readonly string[], message: RobotMessage): Promise<BatchResult> {
      const body = await call('/v1.0/robot/oToMessages/batchSend', {
        robotCode: options.robotCode,
        userIds,
        msgKey: message.msgKey,
        msgParam: JSON.stringify(message.msgParam),
      });
      const parsed = batchSendSchema.safeParse(body);
      return { flowControlled: parsed.data?.flowControlledStaffIdList ?? [], invalid: parsed.data?.invalidStaffIdList ?? [] };
    },

    /** A robot message to a group the robot is in. */
    async sendToGroup(conversationId: string, message: RobotMessage): Promise<void> {
      await call('/v1.0/robot/groupMessages/send', {
        robotCode: options.robotCode,
        openConversationId: conversationId,
        msgKey: message.msgKey,
        msgParam: JSON.stringify(message.msgParam),
      });
    },

    /** Answers through a message's session webhook (no token needed); false when DingTalk would not take it. */
    async replyInSession(webhook: string, markdown: { title: string; text: string }, atUserIds: readonly string[] = []): Promise<boolean> {
      const body = { msgtype: 'markdown', markdown, ...(atUserIds.length ? { at: { atUserIds } } : {}) };
      try {
        const response = await post(webhook, body);
        const answer = oapiSchema.safeParse(response.body);
        // 300001: the session has ended; anything else unknown: send the ordinary way instead.
        if (response.status === 200 && answer.success && answer.data.errcode === 0) return true;
        logger.debug({ status: response.status, errcode: answer.data?.errcode }, 'session webhook refused; sending the ordinary way');
        return false;
      } catch {
        return false;
      }
    },

    /** Uploads a file for a robot file message; resolves with its media id. */
    uploadFile: (fileName: string, content: Uint8Array) => uploadMedia('file', fileName, content),
    /** Uploads a picture (a chart) for a robot image message; resolves with its media id. */
    uploadImage: (fileName: string, content: Uint8Array) => uploadMedia('image', fileName, content),
  });
}

export type DingTalkApi = ReturnType<typeof createDingTalkApi>;

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

function errorDetail(response: { status: number; body: unknown; text: string }): string {
  const parsed = errorSchema.safeParse(response.body);
  const what = parsed.success && (parsed.data.code || parsed.data.message) ? `${parsed.data.code ?? ''} ${parsed.data.message ?? ''}`.trim() : response.text.slice(0, 120);
  return `HTTP ${response.status} ${what}`.trim();
}

/**
 * A refused call as the outbox reads it. DingTalk's limits: 403 Forbidden.AccessDenied.Qps*
 * (a one-second window; Qpm*: a minute), 400 send.too.fast, and the per-IP ban whose body is
 * `{"status":1111,"wait":5}` (minutes). A wrong robot code stops every send until it is fixed.
 * A group that does not exist (or no longer has the robot) will not change on a retry;
 * anything else — another 403, a parameter DingTalk did not like — is tried again with
 * backoff, so nothing is given up on a guess.
 */
function refusal(path: string, response: { status: number; body: unknown; text: string }): DeliveryError {
  const detail = `${path}: ${errorDetail(response)}`;
  const status = response.status;
  const code = errorSchema.safeParse(response.body).data?.code ?? '';
  const ban = banSchema.safeParse(response.body);
  if (ban.success && ban.data.status === 1111) return new DeliveryError(detail, (ban.data.wait ?? 5) * 60_000, { scope: 'platform', status });
  if (/^Forbidden\.AccessDenied\.Qpm/.test(code)) return new DeliveryError(detail, 60_000, { scope: 'platform', status });
  if (/^Forbidden\.AccessDenied\.Qps/.test(code) || /too\.?fast/i.test(code) || response.status === 429) {
    return new DeliveryError(detail, 1_000, { scope: 'platform', status });
  }
  if (/^Forbidden\.AccessDenied\.ApiCountLimit/.test(code)) return new DeliveryError(detail, 60 * 60_000, { scope: 'platform', status });
  if (/robotCode/i.test(code)) return new DeliveryError(`${detail} (check DINGTALK_ROBOT_CODE)`, 5 * 60_000, { scope: 'platform', status });
  if (response.status === 400 && /openConversationId|conversation|chat/i.test(code) && /not\.?found|not\.?exist|invalid/i.test(code)) {
    return new DeliveryError(detail, undefined, { permanent: true, status });
  }
  return new DeliveryError(detail, undefined, { status });
}

/** At most `perSecond` calls to one API in any second, waiting for a place rather than being refused. */
function createCallPacer(perSecond: number): (api: string) => Promise<void> {
  const recent = new Map<string, number[]>();
  return async function pace(api: string): Promise<void> {
    for (;;) {
      const now = Date.now();
      const calls = (recent.get(api) ?? []).filter((at) => at > now - 1000);
      if (calls.length < perSecond) {
        calls.push(now);
        recent.set(api, calls);
        return;
      }
      recent.set(api, calls);
      await new Promise((resolve) => setTimeout(resolve, calls[0]! + 1000 - now));
    }
  };
}
