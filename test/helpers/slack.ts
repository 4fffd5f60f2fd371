import { createHmac } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';

export const SIGNING_SECRET = 'test-signing-secret';
export const SLACK_API = 'https://slack.test';
export const RESPONSE_HOST = 'https://hooks.slack.test';

/** Slack's v0 request signature over `v0:timestamp:body`. */
export function signature(body: string, timestamp: number, secret = SIGNING_SECRET): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
}

export interface SendOptions {
  readonly secret?: string;
  /** Seconds since the epoch; defaults to now. */
  readonly timestamp?: number;
  readonly unsigned?: boolean;
  readonly headers?: Record<string, string>;
}

export function urlOf(server: Server): string {
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/slack/events`;
}

/** Posts a body to the bot as Slack would, signed unless told otherwise. */
export async function sendToSlackEndpoint(url: string, body: string, contentType: string, opts: SendOptions = {}) {
  const timestamp = opts.timestamp ?? Math.floor(Date.now() / 1000);
  const headers: Record<string, string> = { 'content-type': contentType, ...opts.headers };
  if (!opts.unsigned) {
    headers['x-slack-request-timestamp'] = String(timestamp);
    headers['x-slack-signature'] = signature(body, timestamp, opts.secret);
  }
  const response = await fetch(url, { method: 'POST', headers, body });
  return { status: response.status, body: await response.text() };
}

let triggers = 0;

/** The form body of a slash command as Slack sends it. */
export function slashCommandBody(userId: string, text: string, extra: Record<string, string> = {}): string {
  triggers += 1;
  return new URLSearchParams({
    token: 'legacy',
    team_id: 'T1',
    channel_id: 'C_TEAM',
    channel_name: 'project',
    user_id: userId,
    user_name: userId.toLowerCase(),
    command: '/cs',
    text,
    response_url: `${RESPONSE_HOST}/commands/T1/${triggers}`,
    trigger_id: `trigger.${triggers}`,
    api_app_id: 'A1',
    ...extra,
  }).toString();
}

export function interactiveBody(payload: object): string {
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}

export function eventBody(eventId: string, event: object): string {
  return JSON.stringify({ token: 'legacy', team_id: 'T1', api_app_id: 'A1', type: 'event_callback', event_id: eventId, event_time: 1, event });
}

/** Waits until a condition holds (work Bolt does after the ack), or fails after a bound. */
export async function eventually(check: () => boolean | Promise<boolean>, what: string, ms = 5000): Promise<void> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`timed out waiting for: ${what}`);
}
