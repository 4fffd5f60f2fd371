import cron from 'node-cron';
import { z } from 'zod';
import { readHolidayNotice, type HolidayNotice } from './app/team/holiday-file';

const optionalText = z
  .string()
  .trim()
  .transform((s) => (s === '' ? undefined : s))
  .optional();

const schema = z
  .object({
    DATABASE_URL: optionalText.pipe(
      z
        .string()
        .regex(/^postgres(ql)?:\/\//, 'a PostgreSQL URL such as postgres://user:pass@localhost:5432/csbot')
        .optional(),
    ),
    DATA_DIR: optionalText.transform((s) => s ?? './data'),
    BOT_LANG: optionalText.pipe(z.enum(['zh-CN', 'en'], { message: 'zh-CN or en' }).optional()).transform((s) => s ?? 'zh-CN'),
    BOOTSTRAP_ADMINS: optionalText.transform((s) =>
      (s ?? '')
        .split(',')
        .map((id) => id.trim())
        .filter(Boolean),
    ),
    SLACK_BOT_TOKEN: optionalText.pipe(z.string().startsWith('xoxb-', 'a Slack bot token starting with xoxb-').optional()),
    SLACK_SIGNING_SECRET: optionalText,
    SLACK_APP_TOKEN: optionalText.pipe(z.string().startsWith('xapp-', 'a Slack app-level token starting with xapp-').optional()),
    SLACK_API_URL: optionalText.pipe(z.url({ message: 'a URL such as https://slack.com/api/' }).optional()),
    DINGTALK_CLIENT_ID: optionalText,
    DINGTALK_CLIENT_SECRET: optionalText,
    DINGTALK_ROBOT_CODE: optionalText,
    DINGTALK_API_URL: optionalText.pipe(z.url({ message: 'a URL such as https://api.dingtalk.com' }).optional()),
    DINGTALK_OAPI_URL: optionalText.pipe(z.url({ message: 'a URL such as https://oapi.dingtalk.com' }).optional()),
    DINGTALK_GROUP_CARDS: optionalText.pipe(z.enum(['on', 'off'], { message: 'on or off' }).optional()),
    WECOM_BOT_ID: optionalText,
    WECOM_BOT_SECRET: optionalText,
    WECOM_WS_URL: optionalText.pipe(z.url({ protocol: /^wss?$/, message: 'a WebSocket URL such as wss://openws.work.weixin.qq.com' }).optional()),
    WECOM_CORP_ID: optionalText,
    WECOM_APP_SECRET: optionalText,
    WECOM_AGENT_ID: optionalText.pipe(
      z
        .string()
        .regex(/^\d{1,10}$/, "the app's AgentId, a number such as 1000002")
        .optional(),
    ),
    WECOM_API_URL: optionalText.pipe(z.url({ message: 'a URL such as https://qyapi.weixin.qq.com' }).optional()),
    METRICS_PORT: optionalText
      .pipe(
        z
          .string()
          .regex(/^(\d{1,5}|off)$/, 'a port number such as 9464, or off')
          .optional(),
      )
      .transform((s) => (s === undefined ? 9464 : s === 'off' ? null : Number(s)))
      .pipe(z.number().max(65535, 'a port number up to 65535').nullable()),
    INTAKE_PORT: optionalText
      .pipe(
        z
          .string()
          .regex(/^(\d{1,5}|off)$/, 'a port number such as 8787, or off')
          .optional(),
      )
      .transform((s) => (s === undefined || s === 'off' ? null : Number(s)))
      .pipe(z.number().max(65535, 'a port number up to 65535').nullable()),
    INTAKE_HOST: optionalText,
    INTAKE_PUBLIC_URL: optionalText.pipe(z.url({ protocol: /^https?$/, message: 'the address senders reach the intake port at, such as https://bot.example.com' }).optional()),
    PORT: optionalText
      .pipe(
        z
          .string()
          .regex(/^\d{1,5}$/, 'a port number such as 3000')
          .optional(),
      )
      .transform((s) => (s === undefined ? 3000 : Number(s)))
      .pipe(z.number().max(65535, 'a port number up to 65535')),
    LOG_LEVEL: optionalText.pipe(z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], { message: 'one of fatal, error, warn, info, debug, trace, silent' }).optional()),
    SANDBOX_USER: optionalText.transform((s) => s ?? 'alice'),
    EXPORT_DIR: optionalText.transform((s) => s ?? './exports'),
    HOLIDAYS_FILE: optionalText,
    SLA_SWEEP_CRON: optionalText
      .refine((s) => s === undefined || cron.validate(s), 'a cron expression such as * * * * * (every minute) or */30 * * * * * (every 30 s)')
      .transform((s) => s ?? '* * * * *'),
  })
  .superRefine((env, ctx) => {
    const slackVars = ['SLACK_SIGNING_SECRET', 'SLACK_APP_TOKEN'] as const;
    for (const name of slackVars) {
      if (env[name] && !env.SLACK_BOT_TOKEN) {
        ctx.addIssue({ code: 'custom', path: ['SLACK_BOT_TOKEN'], message: `required when ${name} is set (a Slack bot token starting with xoxb-)` });
      }
    }
    if (env.DINGTALK_CLIENT_ID && !env.DINGTALK_CLIENT_SECRET) {
      ctx.addIssue({ code: 'custom', path: ['DINGTALK_CLIENT_SECRET'], message: "required with DINGTALK_CLIENT_ID (the app's AppSecret)" });
    }
    if (env.DINGTALK_CLIENT_SECRET && !env.DINGTALK_CLIENT_ID) {
      ctx.addIssue({ code: 'custom', path: ['DINGTALK_CLIENT_ID'], message: "required with DINGTALK_CLIENT_SECRET (the app's AppKey)" });
    }
    if (Boolean(env.WECOM_BOT_ID) !== Boolean(env.WECOM_BOT_SECRET)) {
      const missing = env.WECOM_BOT_ID ? 'WECOM_BOT_SECRET' : 'WECOM_BOT_ID';
      ctx.addIssue({ code: 'custom', path: [missing], message: `required with ${missing === 'WECOM_BOT_ID' ? 'WECOM_BOT_SECRET' : 'WECOM_BOT_ID'} (the smart bot's Bot ID and Secret)` });
    }
    const app = ['WECOM_CORP_ID', 'WECOM_APP_SECRET', 'WECOM_AGENT_ID'] as const;
    const appSet = app.filter((name) => env[name]);
    if (appSet.length > 0 && appSet.length < app.length) {
      ctx.addIssue({ code: 'custom', path: [app.find((name) => !env[name])!], message: `required with ${appSet.join(', ')} (the self-built app that sends DMs needs all three)` });
    }
    if (appSet.length > 0 && !env.WECOM_BOT_ID) {
      ctx.addIssue({ code: 'custom', path: ['WECOM_BOT_ID'], message: `required with ${appSet[0]} (the self-built app only sends the smart bot's DMs)` });
    }
    // One platform per process: run one process for each.
    const found = (
      [
        ['Slack', ['SLACK_BOT_TOKEN', 'SLACK_APP_TOKEN', 'SLACK_SIGNING_SECRET']],
        ['DingTalk', ['DINGTALK_CLIENT_ID', 'DINGTALK_CLIENT_SECRET']],
        ['WeCom', ['WECOM_BOT_ID', 'WECOM_BOT_SECRET']],
      ] as const
    )
      .map(([platform, names]) => ({ platform, name: names.find((name) => env[name as keyof typeof env]) }))
      .filter((p) => p.name !== undefined);
    if (found.length > 1) {
      ctx.addIssue({
        code: 'custom',
        path: [found.map((p) => p.name).join(' and ')],
        message: `both set, credentials for two platforms (${found.map((p) => p.platform).join(' and ')}); one process serves one platform: set one, and run a second process for the other`,
      });
    }
    if (env.SLACK_BOT_TOKEN && !env.SLACK_SIGNING_SECRET && !env.SLACK_APP_TOKEN) {
      ctx.addIssue({
        code: 'custom',
        path: ['SLACK_SIGNING_SECRET'],
        message: 'required with SLACK_BOT_TOKEN for HTTP mode (or set SLACK_APP_TOKEN for Socket Mode)',
      });
    }
  });

export type SlackMode =
  | { readonly kind: 'socket'; readonly botToken: string; readonly appToken: string; readonly signingSecret?: string }
  | { readonly kind: 'http'; readonly botToken: string; readonly signingSecret: string; readonly port: number };

/** A DingTalk enterprise internal app's robot in Stream mode. */
export interface DingTalkConfig {
  /** The app's AppKey (Client ID). */
  readonly clientId: string;
  /** The app's AppSecret (Client Secret). */
  readonly clientSecret: string;
  /** The robot that sends; an internal app's robot code is its AppKey unless set. */
  readonly robotCode: string;
  /** Where connections/open, the token call and every robot send go. */
  readonly apiUrl: string;
  /** Where files are uploaded (media/upload): DingTalk's older API host. */
  readonly oapiUrl: string;
  /** Buttons in groups as interactive cards (DINGTALK_GROUP_CARDS, on unless off); off, the commands to type. */
  readonly groupCards: boolean;
}

/** A WeCom smart bot (智能机器人) on its long connection, and optionally a self-built app for DMs. */
export interface WeComConfig {
  readonly botId: string;
  readonly secret: string;
  /** The smart-bot gateway's WebSocket address. */
  readonly wsUrl: string;
  /** The self-built app that sends DMs (the smart bot's reach people who never wrote to it); null: DMs through the smart bot. */
  readonly app: { readonly corpId: string; readonly secret: string; readonly agentId: number; readonly apiUrl: string } | null;
}

export type PlatformConfig =
  | { readonly kind: 'sandbox' }
  | { readonly kind: 'slack'; readonly slack: SlackMode }
  | { readonly kind: 'dingtalk'; readonly dingtalk: DingTalkConfig }
  | { readonly kind: 'wecom'; readonly wecom: WeComConfig };

export interface Config {
  /** Which chat this process serves, from the credentials given: none is the terminal sandbox. */
  readonly platform: PlatformConfig;
  readonly database: { readonly kind: 'postgres'; readonly url: string } | { readonly kind: 'pglite'; readonly dataDir: string };
  readonly defaultLang: 'zh-CN' | 'en';
  readonly bootstrapAdmins: readonly string[];
  /** Slack's mode when the platform is Slack, else null. */
  readonly slack: SlackMode | null;
  readonly slackApiUrl: string | undefined;
  readonly logLevel: string;
  readonly sandboxUser: string;
  /** Where the sandbox writes CSV exports (Slack sends them to the requester's DM). */
  readonly exportDir: string;
  /** The reminder sweep's safety net; a precise timer does the on-time work. */
  readonly sweepCron: string;
  /** Where /healthz, /readyz and /metrics answer (not in the sandbox); null: off. */
  readonly metricsPort: number | null;
  /** Holidays and make-up days of years the chinese-days package does not know yet, for every team (HOLIDAYS_FILE); null: none. */
  readonly holidayNotice: (HolidayNotice & { readonly path: string }) | null;
  /**
   * The intake server (calls from a phone system, signed events from other systems), on every
   * platform and in the sandbox; null: off. `publicUrl` is what the addresses given to managers
   * start with (unset: http://<host>:<port>, the machine's name for a host of all interfaces).
   */
  readonly intake: { readonly port: number; readonly host: string; readonly publicUrl: string | null } | null;
}

export class ConfigError extends Error {}

/** Parses the environment once; a bad variable is reported by name with what it expects. */
export function loadConfig(env: Readonly<Record<string, string | undefined>>): Config {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ConfigError(`${String(issue.path[0] ?? 'environment')}: ${issue.message}`);
  }
  const e = parsed.data;
  let holidayNotice: Config['holidayNotice'] = null;
  if (e.HOLIDAYS_FILE) {
    try {
      holidayNotice = { path: e.HOLIDAYS_FILE, ...readHolidayNotice(e.HOLIDAYS_FILE) };
    } catch (error) {
      throw new ConfigError(`HOLIDAYS_FILE: ${(error as Error).message}`);
    }
  }
  const slack: SlackMode | null = !e.SLACK_BOT_TOKEN
    ? null
    : e.SLACK_APP_TOKEN
      ? { kind: 'socket', botToken: e.SLACK_BOT_TOKEN, appToken: e.SLACK_APP_TOKEN, ...(e.SLACK_SIGNING_SECRET ? { signingSecret: e.SLACK_SIGNING_SECRET } : {}) }
      : { kind: 'http', botToken: e.SLACK_BOT_TOKEN, signingSecret: e.SLACK_SIGNING_SECRET!, port: e.PORT };
  const dingtalk: DingTalkConfig | null =
    e.DINGTALK_CLIENT_ID && e.DINGTALK_CLIENT_SECRET
      ? {
          clientId: e.DINGTALK_CLIENT_ID,
          clientSecret: e.DINGTALK_CLIENT_SECRET,
          robotCode: e.DINGTALK_ROBOT_CODE ?? e.DINGTALK_CLIENT_ID,
          apiUrl: (e.DINGTALK_API_URL ?? 'https://api.dingtalk.com').replace(/\/+$/, ''),
          // Aimed elsewhere (a proxy, a test's fake), the uploads follow unless told otherwise.
          oapiUrl: (e.DINGTALK_OAPI_URL ?? e.DINGTALK_API_URL ?? 'https://oapi.dingtalk.com').replace(/\/+$/, ''),
          groupCards: e.DINGTALK_GROUP_CARDS !== 'off',
        }
      : null;
  const wecom: WeComConfig | null =
    e.WECOM_BOT_ID && e.WECOM_BOT_SECRET
      ? {
          botId: e.WECOM_BOT_ID,
          secret: e.WECOM_BOT_SECRET,
          wsUrl: e.WECOM_WS_URL ?? 'wss://openws.work.weixin.qq.com',
          app:
            e.WECOM_CORP_ID && e.WECOM_APP_SECRET && e.WECOM_AGENT_ID
              ? { corpId: e.WECOM_CORP_ID, secret: e.WECOM_APP_SECRET, agentId: Number(e.WECOM_AGENT_ID), apiUrl: (e.WECOM_API_URL ?? 'https://qyapi.weixin.qq.com').replace(/\/+$/, '') }
              : null,
        }
      : null;
  const platform: PlatformConfig = slack ? { kind: 'slack', slack } : dingtalk ? { kind: 'dingtalk', dingtalk } : wecom ? { kind: 'wecom', wecom } : { kind: 'sandbox' };
  return {
    platform,
    database: e.DATABASE_URL ? { kind: 'postgres', url: e.DATABASE_URL } : { kind: 'pglite', dataDir: e.DATA_DIR },
    defaultLang: e.BOT_LANG,
    // WeCom's user ids are case-insensitive and come back lower-cased.
    bootstrapAdmins: platform.kind === 'wecom' ? e.BOOTSTRAP_ADMINS.map((id) => id.toLowerCase()) : e.BOOTSTRAP_ADMINS,
    slack,
    slackApiUrl: e.SLACK_API_URL,
    // The sandbox shares the terminal with the chat, so it only logs warnings unless told otherwise.
    logLevel: e.LOG_LEVEL ?? (platform.kind === 'sandbox' ? 'warn' : 'info'),
    sandboxUser: e.SANDBOX_USER,
    exportDir: e.EXPORT_DIR,
    sweepCron: e.SLA_SWEEP_CRON,
    metricsPort: e.METRICS_PORT,
    holidayNotice,
    intake:
      e.INTAKE_PORT === null
        ? null
        : {
            port: e.INTAKE_PORT,
            // The sandbox is someone trying the bot on their machine: loopback only, unless told otherwise.
            host: e.INTAKE_HOST ?? (platform.kind === 'sandbox' ? '127.0.0.1' : '0.0.0.0'),
            publicUrl: e.INTAKE_PUBLIC_URL?.replace(/\/+$/, '') ?? null,
          },
  };
}
