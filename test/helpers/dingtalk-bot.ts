import type { Kysely } from 'kysely';
import type { Database } from '../../db/database';
import { startBot, type Bot } from '../../src/bot';
import { loadConfig } from '../../src/config';
import type { fakeClock } from './clock';
import { until, type FakeDingTalk, type RobotMessageInput } from './fake-dingtalk';
import { capturingLogger } from './service';

const idle = { every: () => {}, stop: async () => {} };

/** A DingTalk bot from the real composition root, aimed at the fake (bootstrap admin staff-dave, jobs driven by the test). */
export async function dingtalkBot(fake: FakeDingTalk, db: Kysely<Database>, clock: ReturnType<typeof fakeClock>, exportDir: string, env: Record<string, string> = {}): Promise<Bot> {
  const config = loadConfig({
    DINGTALK_CLIENT_ID: fake.clientId,
    DINGTALK_CLIENT_SECRET: fake.clientSecret,
    DINGTALK_API_URL: fake.url,
    BOOTSTRAP_ADMINS: 'staff-dave',
    EXPORT_DIR: exportDir,
    LOG_LEVEL: 'silent',
    METRICS_PORT: '0',
    ...env,
  });
  return startBot({ config, db, clock, logger: capturingLogger('silent').logger, scheduler: idle, flowControlWaitMs: 400 });
}

/** Pushes a robot message and waits for its acknowledgement (the bot acknowledges once it has handled it). */
export async function sendToRobot(fake: FakeDingTalk, input: RobotMessageInput, opts: { everyConnection?: boolean } = {}) {
  const pushed = fake.pushRobotMessage(input, opts);
  await until(() => pushed.frameIds.every((id) => fake.acks.has(id)), 'the acknowledgements', 10_000);
  return pushed;
}
