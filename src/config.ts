import cron from 'node-cron';
import { z } from 'zod';

const optionalText = z
  .string()
  .trim()
  .transform((s) => (s === '' ? undefined : s))
  .optional();

const schema = z
  .object({
    DATABASE_URL: optionalText.pipe(
      z.string().regex(/^postgres(ql)?:\/\//, 'a PostgreSQL URL such as postgres://user:pass@localhost:5432/csbot').optional(),
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
    PORT: optionalText
      .pipe(z.string().regex(/^\d{1,5}$/, 'a port number such as 3000').optional())
      .transform((s) => (s === undefined ? 3000 : Number(s)))
      .pipe(z.number().max(65535, 'a port number up to 65535')),
    LOG_LEVEL: optionalText.pipe(
      z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], { message: 'one of fatal, error, warn, info, debug, trace, silent' }).optional(),
    ),
    SANDBOX_USER: optionalText.transform((s) => s ?? 'alice'),
    EXPORT_DIR: optionalText.transform((s) => s ?? './exports'),
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

export interface Config {
  readonly database: { readonly kind: 'postgres'; readonly url: string } | { readonly kind: 'pglite'; readonly dataDir: string };
  readonly defaultLang: 'zh-CN' | 'en';
  readonly bootstrapAdmins: readonly string[];
  /** Null: no Slack credentials, so the terminal sandbox runs. */
  readonly slack: SlackMode | null;
  readonly slackApiUrl: string | undefined;
  readonly logLevel: string;
  readonly sandboxUser: string;
  /** Where the sandbox writes CSV exports (Slack sends them to the requester's DM). */
  readonly exportDir: string;
  /** The reminder sweep's safety net; a precise timer does the on-time work. */
  readonly sweepCron: string;
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
  const slack: SlackMode | null = !e.SLACK_BOT_TOKEN
    ? null
    : e.SLACK_APP_TOKEN
      ? { kind: 'socket', botToken: e.SLACK_BOT_TOKEN, appToken: e.SLACK_APP_TOKEN, ...(e.SLACK_SIGNING_SECRET ? { signingSecret: e.SLACK_SIGNING_SECRET } : {}) }
      : { kind: 'http', botToken: e.SLACK_BOT_TOKEN, signingSecret: e.SLACK_SIGNING_SECRET!, port: e.PORT };
  return {
    database: e.DATABASE_URL ? { kind: 'postgres', url: e.DATABASE_URL } : { kind: 'pglite', dataDir: e.DATA_DIR },
    defaultLang: e.BOT_LANG,
    bootstrapAdmins: e.BOOTSTRAP_ADMINS,
    slack,
    slackApiUrl: e.SLACK_API_URL,
    // The sandbox shares the terminal with the chat, so it only logs warnings unless told otherwise.
    logLevel: e.LOG_LEVEL ?? (slack ? 'info' : 'warn'),
    sandboxUser: e.SANDBOX_USER,
    exportDir: e.EXPORT_DIR,
    sweepCron: e.SLA_SWEEP_CRON,
  };
}
