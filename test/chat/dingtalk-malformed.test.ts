import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBot, type Bot } from '../../src/bot';
import { loadConfig } from '../../src/config';
import { fakeClock } from '../helpers/clock';
import { pgliteKind, type TestDatabase } from '../helpers/db';
import { startFakeDingTalk, until, type FakeDingTalk } from '../helpers/fake-dingtalk';
import { capturingLogger } from '../helpers/service';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('callbacks DingTalk sends that the bot cannot read', () => {
  let fake: FakeDingTalk;
  let tdb: TestDatabase;
  let bot: Bot;
  const log = capturingLogger('warn');
  beforeAll(async () => {
    fake = await startFakeDingTalk();
    tdb = await pgliteKind.open();
    const config = loadConfig({ DINGTALK_CLIENT_ID: fake.clientId, DINGTALK_CLIENT_SECRET: fake.clientSecret, DINGTALK_API_URL: fake.url, LOG_LEVEL: 'warn', METRICS_PORT: '0' });
    bot = await startBot({ config, db: tdb.db, clock: fakeClock('2026-11-24T10:00:00+08:00'), logger: log.logger, scheduler: { every: () => {}, stop: async () => {} } });
    await until(() => fake.counts().connections === 1, 'connected');
  });
  afterAll(async () => {
    await bot.stop();
    await fake.stop();
    await tdb.close();
  });

  it('acknowledges them so they are not pushed again, counts each kind, and logs one line per kind', async () => {
    const frame = (id: string, type: string, topic: string, data: string) =>
      JSON.stringify({ specVersion: '1.0', type, headers: { appId: 'a', connectionId: 'c', contentType: 'application/json', messageId: id, time: '1', topic }, data });
    const ids = {
      notJson: 'bad-1',
      badFrame: 'bad-2',
      unknownType: 'bad-3',
    };
    // Not JSON at all (cut off), twice; a frame without its type; a frame of a type nobody knows.
    fake.pushRaw(`{"specVersion":"1.0","type":"CALLBACK","headers":{"messageId":"${ids.notJson}","topic":"/v1.0/im/bot/messages/get"},"data":"{\\"msgId`);
    fake.pushRaw(`{"specVersion":"1.0","headers":{"messageId":"${ids.notJson}-again"`);
    fake.pushRaw(JSON.stringify({ headers: { messageId: ids.badFrame } }));
    fake.pushRaw(frame(ids.unknownType, 'MYSTERY', 'x', '{}'));
    // Callbacks: a topic we never subscribed to, a robot message that is not JSON, one missing its fields.
    const unknownTopic = fake.pushCallback('/v1.0/calendar/event/callback', '{}');
    const badJson = fake.pushCallback('/v1.0/im/bot/messages/get', '{"msgId": ');
    const missing = fake.pushCallback('/v1.0/im/bot/messages/get', JSON.stringify({ text: { content: 'mine' } }));
    const missingAgain = fake.pushCallback('/v1.0/im/bot/messages/get', JSON.stringify({ msgId: 'm', text: { content: 'mine' } }));
    for (const id of [ids.notJson, ids.badFrame, ids.unknownType, unknownTopic, badJson, missing, missingAgain]) await until(() => fake.acks.has(id), `ack of ${id}`);
    await sleep(200);
    const metrics = await (await fetch(`http://127.0.0.1:${bot.opsPort}/metrics`)).text();
    const count = (kind: string) => Number(new RegExp(`csbot_malformed_callbacks_total\\{platform="dingtalk",kind="${kind}"\\} (\\d+)`).exec(metrics)?.[1] ?? 0);
    expect({
      notJson: count('not-json'),
      badFrame: count('bad-frame'),
      unknownType: count('unknown-type'),
      unknownTopic: count('unknown-topic'),
      badJson: count('bad-json'),
      badMessage: count('bad-message'),
    }).toEqual({
      notJson: 2,
      badFrame: 1,
      unknownType: 1,
      unknownTopic: 1,
      badJson: 1,
      badMessage: 2,
    });
    const lines = log.lines.filter((l) => l.includes('cannot read'));
    const kinds = lines.map((l) => (JSON.parse(l) as { kind: string }).kind).sort();
    expect(kinds).toEqual(['bad-frame', 'bad-json', 'bad-message', 'not-json', 'unknown-topic', 'unknown-type']);
    // Nothing of what they carried is written down.
    expect(lines.join('\n')).not.toContain('mine');
  });
});
