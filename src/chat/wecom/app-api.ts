import { z } from 'zod';
import type { Clock } from '../../core/time/clock';
import { DeliveryError } from '../gateway';
import { weComDeliveryError } from './errors';

export interface WeComAppOptions {
  readonly apiUrl: string;
  readonly corpId: string;
  readonly secret: string;
  readonly agentId: number;
  readonly clock: Clock;
  /** A call that has not answered by then is given up (the outbox tries it again). */
  readonly timeoutMs?: number;
}

/** WeCom refused the self-built app's credentials. */
class WeComAppCredentialsError extends Error {
  constructor(detail: string) {
    super(`WeCom refused the self-built app's credentials (WECOM_CORP_ID / WECOM_APP_SECRET): ${detail}`);
    this.name = 'WeComAppCredentialsError';
  }
}

const answerSchema = z.looseObject({
  errcode: z.coerce.number(),
  errmsg: z.string().optional(),
  access_token: z.string().optional(),
  expires_in: z.coerce.number().optional(),
  invaliduser: z.string().optional(),
  unlicenseduser: z.string().optional(),
});
/** Codes meaning the person cannot be reached by the app (outside its visible range, left): not tried again. */
const UNREACHABLE = new Set([81013, 60111, 40031]);
/** Codes meaning the token is no longer good: fetched again, once. */
const STALE_TOKEN = new Set([40014, 42001, 41001]);
const TOKEN_MARGIN_MS = 5 * 60_000;

/**
 * The self-built app's message/send, for private messages to people who never wrote to the
 * smart bot: a token cached until shortly before it expires (fetched again after a refusal).
 * WeCom drops what goes over 30 a minute or 1,000 an hour to one person with errcode 0, so
 * every send must be counted before it is made: the gateway reserves a message's parts
 * (lanes.ts) before calling this.
 */
export function createWeComApp(options: WeComAppOptions) {
  const { apiUrl, clock } = options;
  const timeoutMs = options.timeoutMs ?? 10_000;
  let token: { value: string; refreshAt: number } | null = null;

  async function call(method: 'GET' | 'POST', path: string, body?: unknown): Promise<z.infer<typeof answerSchema>> {
    let response: Response;
    try {
      response = await fetch(`${apiUrl}${path}`, {
        method,
        headers: { accept: 'application/json', ...(body ? { 'content-type': 'application/json' } : {}) },
        ...(body ? { body: JSON.stringify(body) } : {}),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      throw new DeliveryError(`WeCom unreachable: ${(error as Error).name === 'TimeoutError' ? `no answer in ${timeoutMs} ms` : (error as Error).message}`);
    }
    const text = await response.text().catch(() => '');
    let json: unknown = null;
    try {
      json = JSON.parse(text);
    } catch {
      // Not JSON (a proxy's page): handled below.
    }
    const parsed = answerSchema.safeParse(json);
    if (!response.ok || !parsed.success) throw new DeliveryError(`WeCom answered HTTP ${response.status}${parsed.success ? '' : ' without its JSON'}`);
    return parsed.data;
  }

  async function accessToken(): Promise<string> {
    if (token && clock.now().toMillis() < token.refreshAt) return token.value;
    const answer = await call('GET', `/cgi-bin/gettoken?corpid=${encodeURIComponent(options.corpId)}&corpsecret=${encodeURIComponent(options.secret)}`);
    if (answer.errcode !== 0 || !answer.access_token) {
      if ([40001, 40013, 40091].includes(answer.errcode)) throw new WeComAppCredentialsError(`${answer.errcode} ${answer.errmsg ?? ''}`.trim());
      throw weComDeliveryError(answer);
    }
    const lifeMs = (answer.expires_in ?? 7200) * 1000;
    token = { value: answer.access_token, refreshAt: clock.now().toMillis() + Math.max(lifeMs - TOKEN_MARGIN_MS, lifeMs / 2) };
    return token.value;
  }

  return Object.freeze({
    /** Checks the credentials: a refusal rejects with WeComAppCredentialsError. */
    async checkCredentials(): Promise<void> {
      await accessToken();
    },

    /** A markdown message to one person from the app. */
    async sendMarkdown(user: string, content: string): Promise<void> {
      const body = { touser: user, msgtype: 'markdown', agentid: options.agentId, markdown: { content } };
      let answer = await call('POST', `/cgi-bin/message/send?access_token=${encodeURIComponent(await accessToken())}`, body);
      if (STALE_TOKEN.has(answer.errcode)) {
        token = null;
        answer = await call('POST', `/cgi-bin/message/send?access_token=${encodeURIComponent(await accessToken())}`, body);
      }
      const refused = `${answer.invaliduser ?? ''}|${answer.unlicenseduser ?? ''}`.toLowerCase().split(/[|]/);
      if (UNREACHABLE.has(answer.errcode) || refused.includes(user.toLowerCase())) {
        throw new DeliveryError(`WeCom does not know user ${user}, or the app may not reach them (${answer.errcode})`, undefined, { permanent: true });
      }
      if (answer.errcode !== 0) throw weComDeliveryError(answer);
    },
  });
}

export type WeComApp = ReturnType<typeof createWeComApp>;
