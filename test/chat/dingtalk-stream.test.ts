import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DingTalkCredentialsError } from '../../src/chat/dingtalk/api';
import { createStreamClient, ROBOT_TOPIC, type StreamClient } from '../../src/chat/dingtalk/stream';
import { startFakeDingTalk, until, type FakeDingTalk } from '../helpers/fake-dingtalk';
import { capturingLogger } from '../helpers/service';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe(createStreamClient.name, () => {
  let fake: FakeDingTalk;
  let client: StreamClient | null = null;
  const received: string[] = [];

  const connect = (opts: Partial<Parameters<typeof createStreamClient>[0]> = {}) => {
    client = createStreamClient({
      apiUrl: fake.url,
      clientId: fake.clientId,
      clientSecret: fake.clientSecret,
      logger: capturingLogger('silent').logger,
      onCallback: async (topic, data) => {
        if (topic === ROBOT_TOPIC) received.push((JSON.parse(data) as { msgId: string }).msgId);
      },
      firstBackoffMs: 100,
      maxBackoffMs: 400,
      openTimeoutMs: 500,
      pingEveryMs: 200,
      ...opts,
    });
    return client;
  };

  beforeEach(async () => {
    received.length = 0;
    fake = await startFakeDingTalk();
  });
  afterEach(async () => {
    await client?.stop();
    client = null;
    await fake.stop();
  });

  it('opens a connection with a ticket, receives robot messages and acknowledges each frame with its id', async () => {
    await connect().start();
    expect(client!.connected()).toBe(true);
    const { msgId, frameIds } = fake.pushRobotMessage({ from: 'staff001', text: 'help' });
    await until(() => fake.acks.has(frameIds[0]!), 'the ack');
    expect(received).toEqual([msgId]);
    expect(fake.acks.get(frameIds[0]!)![0]).toMatchObject({ code: 200, message: 'OK', headers: { messageId: frameIds[0] } });
  });

  it('answers the gateway’s ping with the same id and data', async () => {
    await connect().start();
    const [id] = fake.ping();
    await until(() => fake.pongs.includes(id!), 'the pong');
  });

  it('refuses to start, once, when the gateway refuses the credentials, and then tries no more', async () => {
    fake.behaviour.open = 'refuse';
    await expect(connect().start()).rejects.toBeInstanceOf(DingTalkCredentialsError);
    await sleep(600);
    expect(fake.counts().opens).toBe(1);
  });

  it('reconnects after a drop, with backoff, and keeps receiving', async () => {
    await connect().start();
    fake.dropConnections();
    await until(() => fake.counts().connections === 1 && client!.connected(), 'the reconnection');
    const { msgId } = fake.pushRobotMessage({ from: 'staff001', text: 'mine' });
    await until(() => received.includes(msgId), 'a message after the reconnection');
  });

  it('backs off, capped and jittered, while the handshake is refused: no storm', async () => {
    await connect().start();
    fake.behaviour.socket = 'refuse';
    fake.dropConnections();
    await sleep(2000);
    // Waits of 50–100, 100–200, then 200–400 ms: at most about ten tries in two seconds (a storm makes hundreds).
    const tries = fake.counts().handshakes - 1;
    expect(tries).toBeGreaterThanOrEqual(3);
    expect(tries).toBeLessThanOrEqual(12);
    fake.behaviour.socket = 'ok';
    await until(() => client!.connected(), 'the connection once the gateway accepts again', 3000);
  });

  it('gives up on a gateway that never answers and tries again', async () => {
    await connect().start();
    fake.behaviour.open = 'hang';
    fake.dropConnections();
    await sleep(1500);
    // Each try waits out the 500 ms open timeout: a few tries, not a pile of hanging ones.
    const hung = fake.counts().opens - 1;
    expect(hung).toBeGreaterThanOrEqual(1);
    expect(hung).toBeLessThanOrEqual(4);
    fake.behaviour.open = 'ok';
    await until(() => client!.connected(), 'the connection once the gateway answers', 3000);
  });

  it('drops a connection that went silent (no pongs) and opens another', async () => {
    await connect().start();
    const before = fake.counts().opens;
    fake.goSilent();
    await until(() => fake.counts().opens > before && client!.connected(), 'a new connection after silence', 3000);
  });

  it('opens the next connection before the old one closes when asked to reconnect', async () => {
    await connect().start();
    fake.askToReconnect(1000);
    await until(() => fake.timeline.some((e) => e.event === 'close'), 'the old connection closed');
    await sleep(300);
    // The new one opened before the old one closed (and well before the gateway would have closed it).
    const [first, second] = fake.timeline.filter((e) => e.event === 'open');
    const closed = fake.timeline.find((e) => e.event === 'close')!;
    expect(closed.socket).toBe(first!.socket);
    expect(second!.at).toBeLessThanOrEqual(closed.at);
    expect(closed.at - first!.at).toBeLessThan(900);
    expect(fake.counts().opens).toBe(2);
    expect(client!.connected()).toBe(true);
  });

  it('opens one connection, not two, when the gateway closes the old one at once', async () => {
    await connect().start();
    fake.askToReconnect(0);
    await sleep(1200);
    expect(fake.counts().opens).toBe(2);
    expect(fake.counts().connections).toBe(1);
    expect(client!.connected()).toBe(true);
  });

  it('keeps trying when the credentials are refused after start-up, and connects once they work again', async () => {
    fake.behaviour.open = 'fail';
    await connect().start();
    fake.behaviour.open = 'refuse';
    await sleep(700);
    const refused = fake.counts().opens;
    expect(refused).toBeGreaterThan(2);
    fake.behaviour.open = 'ok';
    await until(() => client!.connected(), 'the connection once the credentials work', 3000);
  });

  it('leaves a message that arrives while stopping unacknowledged, for another connection to take', async () => {
    let release!: () => void;
    let started!: () => void;
    const slow = new Promise<void>((resolve) => (release = resolve));
    const inFlight = new Promise<void>((resolve) => (started = resolve));
    connect({
      onCallback: () => {
        started();
        return slow;
      },
    });
    await client!.start();
    const first = fake.pushRobotMessage({ from: 'staff001', text: 'mine' });
    await inFlight;
    const stopping = client!.stop();
    const second = fake.pushRobotMessage({ from: 'staff001', text: 'mine again' });
    await sleep(100);
    release();
    await stopping;
    expect(fake.acks.has(first.frameIds[0]!)).toBe(true);
    expect(fake.acks.has(second.frameIds[0]!)).toBe(false);
  });

  it('stops every attempt on stop(), also while reconnecting', async () => {
    await connect().start();
    fake.behaviour.socket = 'refuse';
    fake.dropConnections();
    await sleep(300);
    await client!.stop();
    const after = fake.counts();
    await sleep(1000);
    expect(fake.counts().opens).toBe(after.opens);
    expect(fake.counts().handshakes).toBe(after.handshakes);
    expect(client!.connected()).toBe(false);
  });

  it('keeps retrying in the background when the gateway fails at start-up, then connects', async () => {
    fake.behaviour.open = 'fail';
    await connect().start();
    expect(client!.connected()).toBe(false);
    fake.behaviour.open = 'ok';
    await until(() => client!.connected(), 'the connection once the gateway works', 3000);
  });
});
