import type { Kysely } from 'kysely';
import type { Database } from '../../db/database';
import { chineseHolidayData } from '../../src/app/team/holidays';
import { startIntakeServer, type IntakeLimits, type IntakeServer } from '../../src/app/intake/server';
import type { Metrics } from '../../src/runtime/metrics';
import { maskingGateway, type ChatGateway } from '../../src/chat/gateway';
import type { Outgoing } from '../../src/chat/message';
import type { CommandService } from '../../src/app/commands/command-service';
import type { Clock } from '../../src/core/time/clock';
import { textOf } from './messages';
import { capturingLogger } from './service';

/** A chat that keeps what it was sent, behind the bot's one masking step. */
function capturingChat() {
  const sent: Outgoing[] = [];
  const raw: ChatGateway = {
    async send(outgoing) {
      sent.push(outgoing);
    },
  };
  return { gateway: maskingGateway(raw), sent };
}

/** Who a message went to, as `@alice` or `#C_TEAM`. */
export const recipient = (o: Outgoing) => (o.to.kind === 'channel' ? `#${o.to.channel}` : `@${o.to.user}`);
/** What the chat was sent, one `@who: text` per message. */
export const sentLines = (sent: readonly Outgoing[]) => sent.map((o) => `${recipient(o)}: ${textOf(o.message)}`);

/** The intake server on 127.0.0.1 with a capturing chat, as the bot runs it. */
export async function startTestIntake(
  db: Kysely<Database>,
  clock: Clock,
  opts: { limits?: Partial<IntakeLimits>; metrics?: Metrics; platform?: 'slack' | 'sandbox' } = {},
): Promise<{ server: IntakeServer; base: string; sent: Outgoing[]; logLines: string[]; stop(): Promise<void> }> {
  const chat = capturingChat();
  const { logger, lines } = capturingLogger('info');
  const server = await startIntakeServer({
    platform: opts.platform ?? 'slack',
    db,
    clock,
    logger,
    holidays: chineseHolidayData(),
    defaultLang: 'en',
    bootstrapAdmins: new Set(),
    gateway: chat.gateway,
    port: 0,
    host: '127.0.0.1',
    ...(opts.limits ? { limits: opts.limits } : {}),
    ...(opts.metrics ? { metrics: opts.metrics } : {}),
  });
  return { server, base: `http://127.0.0.1:${server.port}`, sent: chat.sent, logLines: lines, stop: () => server.stop() };
}

/** Turns the team's intake on as its manager and reads the address's id and the secret from the private reply. */
export async function turnIntakeOn(service: CommandService, manager: string, channelId: string): Promise<{ id: string; secret: string }> {
  const outcome = await service.handle({ userId: manager, channelId, text: 'team intake on' });
  const text = textOf(outcome.reply);
  const id = /\/intake\/([A-Za-z0-9_-]+)\/cti/.exec(text)?.[1];
  const secret = /whsec_\S+/.exec(text)?.[0];
  if (!id || !secret) throw new Error(`intake not turned on: ${text}`);
  return { id, secret };
}

export type FormFields = Record<string, string | readonly string[]>;

/** Posts a CTI event as a PBX would: form-encoded (`user[]` repeated), multipart, or JSON. */
export async function postCti(url: string, fields: FormFields, as: 'form' | 'multipart' | 'json' = 'form'): Promise<{ status: number; body: unknown; headers: Headers }> {
  let init: RequestInit;
  if (as === 'json') init = { body: JSON.stringify(fields), headers: { 'content-type': 'application/json' } };
  else if (as === 'multipart') {
    const form = new FormData();
    for (const [k, v] of Object.entries(fields)) for (const value of typeof v === 'string' ? [v] : v) form.append(typeof v === 'string' ? k : `${k}[]`, value);
    init = { body: form };
  } else {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(fields)) for (const value of typeof v === 'string' ? [v] : v) params.append(typeof v === 'string' ? k : `${k}[]`, value);
    init = { body: params.toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' } };
  }
  const res = await fetch(url, { method: 'POST', ...init });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON: kept as text
  }
  return { status: res.status, body, headers: res.headers };
}

/** Waits until a condition holds, or fails after a bound. */
export async function eventually(check: () => boolean | Promise<boolean>, what: string, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`timed out waiting for: ${what}`);
}

/** Posts a signed event as the Standard Webhooks spec says, signed with the `standardwebhooks` package (several secrets: several signatures). */
export async function postSigned(
  url: string,
  payload: unknown,
  opts: { secrets: readonly string[]; id?: string; timestamp?: Date; signature?: string; body?: string; omit?: 'webhook-id' | 'webhook-timestamp' | 'webhook-signature' },
): Promise<{ status: number; body: unknown; headers: Headers; id: string }> {
  const { Webhook } = await import('standardwebhooks');
  const id = opts.id ?? `msg_${Math.random().toString(36).slice(2)}`;
  const timestamp = opts.timestamp ?? new Date();
  const body = opts.body ?? JSON.stringify(payload);
  const signature = opts.signature ?? opts.secrets.map((s) => new Webhook(s).sign(id, timestamp, body)).join(' ');
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'webhook-id': id,
    'webhook-timestamp': String(Math.floor(timestamp.getTime() / 1000)),
    'webhook-signature': signature,
  };
  if (opts.omit) delete headers[opts.omit];
  const res = await fetch(url, { method: 'POST', headers, body });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // not JSON
  }
  return { status: res.status, body: parsed, headers: res.headers, id };
}
