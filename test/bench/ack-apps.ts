/**
 * The three apps `bench:ack` compares, each run in a child process of its own behind Bolt's
 * HTTP receiver with signature verification on:
 * - bare: a Bolt app that only acks;
 * - floor: the least a Bolt app must do to log a contact: ack, one INSERT … RETURNING into an
 *   indexed table, a reply to the response URL (through the same HTTP client as the bot, so
 *   the comparison is of the bot's own work);
 * - bot: the cs bot's Slack app, command service and database, as in production.
 * Each writes `PORT <n>` to standard output when it listens.
 */
import type http from 'node:http';
import type { AddressInfo } from 'node:net';

export const SECRET = 'bench-signing-secret';
const TOKEN = 'xoxb-bench-token';
export const USERS = 50;
export type AppKind = 'bare' | 'floor' | 'bot';

/** The database the floor and the bot write to: PostgreSQL at BENCH_DB_URL (schema BENCH_DB_SCHEMA), else PGlite in memory. */
function databaseTarget(kind: AppKind) {
  const url = process.env.BENCH_DB_URL;
  if (!url) return null;
  // Named, so the parent can find this app's PostgreSQL backends and read their CPU time.
  const named = new URL(url);
  named.searchParams.set('application_name', `bench_${kind}`);
  return { url: named.toString(), schema: process.env.BENCH_DB_SCHEMA! };
}

async function floorApp(apiUrl: string) {
  const { App, HTTPReceiver } = await import('@slack/bolt');
  const { leanFetch } = await import('../../src/chat/slack/lean-fetch');
  const target = databaseTarget('floor');
  let insert: (team: string, user: string, text: string) => Promise<number>;
  const ddl = `create table floor_contacts (id bigserial primary key, team_id text not null, user_id text not null, text text not null, created_at timestamptz not null default now());
    create index floor_contacts_user on floor_contacts (team_id, user_id, created_at)`;
  const statement = 'insert into floor_contacts (team_id, user_id, text) values ($1, $2, $3) returning id';
  if (target) {
    const { default: pg } = await import('pg');
    const pool = new pg.Pool({ connectionString: target.url, options: `-c search_path=${target.schema}`, max: 10 });
    await pool.query(ddl);
    insert = async (team, user, text) => Number((await pool.query<{ id: string }>(statement, [team, user, text])).rows[0]!.id);
  } else {
    const { PGlite } = await import('@electric-sql/pglite');
    const db = new PGlite();
    await db.exec(ddl);
    insert = async (team, user, text) => Number((await db.query<{ id: string }>(statement, [team, user, text])).rows[0]!.id);
  }
  const app = new App({ token: TOKEN, convoStore: false, clientOptions: { slackApiUrl: apiUrl, fetch: leanFetch }, receiver: new HTTPReceiver({ signingSecret: SECRET }) });
  app.command('/cs', async ({ ack, command, respond }) => {
    await ack();
    const id = await insert(command.team_id, command.user_id, command.text);
    await respond({ response_type: 'ephemeral', text: `Logged #${id}` });
  });
  return app;
}

async function botApp(apiUrl: string) {
  const { DateTime } = await import('luxon');
  const { openDatabase, migrateToLatest } = await import('../../db/connect');
  const { createCommandService } = await import('../../src/app/commands/command-service');
  const { createLogger } = await import('../../src/runtime/logger');
  const { createSlackApp } = await import('../../src/chat/slack/app');
  const { registerSlackListeners } = await import('../../handlers/slack');
  const { teamRepository } = await import('../../db/repositories/teams');
  const { chineseHolidayData } = await import('../../src/app/team/holidays');
  const target = databaseTarget('bot');
  const database = await openDatabase(target ? { kind: 'postgres', ...target } : { kind: 'pglite' });
  await migrateToLatest(database.db, target?.schema);
  const team = await teamRepository.create(database.db, { platform: 'slack', name: 'Bench', channelId: 'C_BENCH', zone: 'Asia/Shanghai', lang: 'zh-CN', createdBy: 'bench', createdAt: new Date() });
  for (let i = 0; i < USERS; i++) await teamRepository.upsertMember(database.db, { teamId: team.id, userId: `U${i}`, displayName: null, role: 'specialist' });
  // Warnings and errors to the terminal (standard output carries the port handshake).
  const logger = createLogger({ level: 'warn', destination: process.stderr });
  const service = createCommandService({
    platform: 'slack',
    db: database.db,
    clock: { now: () => DateTime.utc() },
    logger,
    holidays: chineseHolidayData(),
    defaultLang: 'zh-CN',
    bootstrapAdmins: new Set(),
  });
  return createSlackApp({
    slack: { kind: 'http', botToken: TOKEN, signingSecret: SECRET, port: 0 },
    slackApiUrl: apiUrl,
    listeners: (app, gateway) => registerSlackListeners(app, { service, gateway, logger }),
    logger,
  });
}

export async function serveApp(kind: AppKind, apiUrl: string): Promise<void> {
  let app: { start(port: number): Promise<unknown> };
  if (kind === 'bare') {
    const { App, HTTPReceiver } = await import('@slack/bolt');
    const bare = new App({ token: TOKEN, convoStore: false, clientOptions: { slackApiUrl: apiUrl }, receiver: new HTTPReceiver({ signingSecret: SECRET }) });
    bare.command('/cs', async ({ ack }) => {
      await ack();
    });
    app = bare;
  } else {
    app = kind === 'floor' ? await floorApp(apiUrl) : await botApp(apiUrl);
  }
  const server = (await app.start(0)) as http.Server;
  process.on('SIGTERM', () => process.exit(0));
  process.stdout.write(`PORT ${(server.address() as AddressInfo).port}\n`);
}
