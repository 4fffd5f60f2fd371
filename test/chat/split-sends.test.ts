import nock from 'nock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DeliveryError } from '../../src/chat/gateway';
import type { Message } from '../../src/chat/message';
import { createOutboxClient } from '../../src/chat/slack/app';
import { createSlackGateway } from '../../src/chat/slack/gateway';
import { capturingLogger } from '../helpers/service';

/** A message Slack takes in two posts (over 50 blocks). */
const long: Message = { text: '提醒', blocks: Array.from({ length: 70 }, (_, i) => ({ kind: 'text' as const, text: `第 ${i + 1} 条` })) };

describe('a long message sent in parts', () => {
  beforeAll(() => nock.disableNetConnect());
  afterAll(() => {
    nock.cleanAll();
    nock.enableNetConnect();
  });

  it('resumes at the part a rate limit stopped, rather than posting the first part twice', async () => {
    const posted: string[] = [];
    const firstBlock = (body: unknown) => (JSON.parse(new URLSearchParams(String(body)).get('blocks') ?? '[]') as Array<{ text?: { text?: string } }>)[0]?.text?.text ?? '';
    nock('https://slack.test')
      .post('/api/chat.postMessage')
      .reply(200, (_uri, body) => (posted.push(firstBlock(body)), { ok: true, ts: '1.1' }))
      .post('/api/chat.postMessage')
      .reply(429, { ok: false, error: 'ratelimited' }, { 'retry-after': '1' })
      .post('/api/chat.postMessage')
      .reply(200, (_uri, body) => (posted.push(firstBlock(body)), { ok: true, ts: '1.2' }));
    const gateway = createSlackGateway(createOutboxClient('xoxb-outbox', 'https://slack.test/api/', capturingLogger().logger));
    const error = await gateway.send({ to: { kind: 'dm', user: 'UALICE' }, message: long }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DeliveryError);
    expect((error as DeliveryError).retryAfterMs).toBe(1000);
    await gateway.send({ to: { kind: 'dm', user: 'UALICE' }, message: long });
    expect(posted).toEqual(['第 1 条', '第 51 条']);
    expect(nock.isDone()).toBe(true);
  });
});
