import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config';

const errorOf = (env: Record<string, string>) => {
  try {
    loadConfig(env);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('expected a configuration error');
};

describe(loadConfig.name, () => {
  it('with nothing set runs the sandbox on PGlite in ./data, in Chinese', () => {
    expect(loadConfig({})).toMatchObject({ database: { kind: 'pglite', dataDir: './data' }, defaultLang: 'zh-CN', slack: null, logLevel: 'warn', sandboxUser: 'alice' });
  });

  it('uses PostgreSQL when DATABASE_URL is set', () => {
    expect(loadConfig({ DATABASE_URL: 'postgres://u:p@localhost:5432/cs' }).database).toEqual({ kind: 'postgres', url: 'postgres://u:p@localhost:5432/cs' });
  });

  it('chooses Socket Mode with an app token and HTTP mode with a signing secret', () => {
    expect(loadConfig({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xapp-1' }).slack).toMatchObject({ kind: 'socket' });
    expect(loadConfig({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's', PORT: '8080' }).slack).toEqual({ kind: 'http', botToken: 'xoxb-1', signingSecret: 's', port: 8080 });
  });

  it('runs the intake only when INTAKE_PORT is set, on loopback in the sandbox and on every interface elsewhere', () => {
    expect(loadConfig({}).intake).toBeNull();
    expect(loadConfig({ INTAKE_PORT: 'off' }).intake).toBeNull();
    expect(loadConfig({ INTAKE_PORT: '8787' }).intake).toEqual({ port: 8787, host: '127.0.0.1', publicUrl: null });
    expect(loadConfig({ INTAKE_PORT: '8787', SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xapp-1', INTAKE_PUBLIC_URL: 'https://bot.example.com/' }).intake).toEqual({
      port: 8787,
      host: '0.0.0.0',
      publicUrl: 'https://bot.example.com',
    });
    expect(loadConfig({ INTAKE_PORT: '8787', INTAKE_HOST: '0.0.0.0' }).intake).toMatchObject({ host: '0.0.0.0' });
  });

  it('reads the bootstrap admins as a list', () => {
    expect(loadConfig({ BOOTSTRAP_ADMINS: 'U1, U2,,U3 ' }).bootstrapAdmins).toEqual(['U1', 'U2', 'U3']);
  });

  it.each([
    [{ DATABASE_URL: 'mysql://x' }, 'DATABASE_URL: a PostgreSQL URL such as postgres://user:pass@localhost:5432/csbot'],
    [{ BOT_LANG: 'fr' }, 'BOT_LANG: zh-CN or en'],
    [{ PORT: 'eighty' }, 'PORT: a port number such as 3000'],
    [{ PORT: '70000' }, 'PORT: a port number up to 65535'],
    [{ SLACK_SIGNING_SECRET: 's' }, 'SLACK_BOT_TOKEN: required when SLACK_SIGNING_SECRET is set (a Slack bot token starting with xoxb-)'],
    [{ SLACK_BOT_TOKEN: 'xoxb-1' }, 'SLACK_SIGNING_SECRET: required with SLACK_BOT_TOKEN for HTTP mode (or set SLACK_APP_TOKEN for Socket Mode)'],
    [{ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'bad' }, 'SLACK_APP_TOKEN: a Slack app-level token starting with xapp-'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL: one of fatal, error, warn, info, debug, trace, silent'],
    [{ INTAKE_PORT: 'on' }, 'INTAKE_PORT: a port number such as 8787, or off'],
    [{ INTAKE_PORT: '99999' }, 'INTAKE_PORT: a port number up to 65535'],
    [{ INTAKE_PUBLIC_URL: 'bot.example.com' }, 'INTAKE_PUBLIC_URL: the address senders reach the intake port at, such as https://bot.example.com'],
  ])('names the variable and what it expects: %j', (env, message) => {
    expect(errorOf(env)).toBe(message);
  });
});

describe('choosing the platform from the credentials', () => {
  it('runs DingTalk with a client id and secret; the robot code defaults to the client id', () => {
    const config = loadConfig({ DINGTALK_CLIENT_ID: 'dingKEY', DINGTALK_CLIENT_SECRET: 'SECRET' });
    expect(config.platform).toEqual({
      kind: 'dingtalk',
      dingtalk: { clientId: 'dingKEY', clientSecret: 'SECRET', robotCode: 'dingKEY', apiUrl: 'https://api.dingtalk.com', oapiUrl: 'https://oapi.dingtalk.com', groupCards: true },
    });
    expect(loadConfig({ DINGTALK_CLIENT_ID: 'k', DINGTALK_CLIENT_SECRET: 's', DINGTALK_GROUP_CARDS: 'off' }).platform).toMatchObject({ dingtalk: { groupCards: false } });
    expect(config.logLevel).toBe('info');
  });

  it('takes DINGTALK_ROBOT_CODE and DINGTALK_API_URL when set', () => {
    const config = loadConfig({ DINGTALK_CLIENT_ID: 'k', DINGTALK_CLIENT_SECRET: 's', DINGTALK_ROBOT_CODE: 'robot', DINGTALK_API_URL: 'http://127.0.0.1:9/' });
    expect(config.platform).toMatchObject({ dingtalk: { robotCode: 'robot', apiUrl: 'http://127.0.0.1:9', oapiUrl: 'http://127.0.0.1:9' } });
  });

  it('runs the sandbox with no credentials and Slack with a bot token', () => {
    expect(loadConfig({}).platform).toEqual({ kind: 'sandbox' });
    expect(loadConfig({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xapp-1' }).platform).toMatchObject({ kind: 'slack', slack: { kind: 'socket' } });
  });

  it.each([
    [{ DINGTALK_CLIENT_ID: 'k' }, "DINGTALK_CLIENT_SECRET: required with DINGTALK_CLIENT_ID (the app's AppSecret)"],
    [{ DINGTALK_CLIENT_SECRET: 's' }, "DINGTALK_CLIENT_ID: required with DINGTALK_CLIENT_SECRET (the app's AppKey)"],
    [{ DINGTALK_CLIENT_ID: 'k', DINGTALK_CLIENT_SECRET: 's', DINGTALK_API_URL: 'api.dingtalk.com' }, 'DINGTALK_API_URL: a URL such as https://api.dingtalk.com'],
  ])('names the DingTalk variable that is wrong: %j', (env, message) => {
    expect(errorOf(env)).toBe(message);
  });

  it('refuses credentials for two platforms in one line naming both', () => {
    const message = errorOf({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xapp-1', DINGTALK_CLIENT_ID: 'k', DINGTALK_CLIENT_SECRET: 's' });
    expect(message).toMatch(/^SLACK_BOT_TOKEN and DINGTALK_CLIENT_ID: both set/);
    expect(message).not.toContain('\n');
  });

  it('selects WeCom by the smart bot’s credentials, with the self-built app only when all three of its variables are set', () => {
    const config = loadConfig({ WECOM_BOT_ID: 'aib1', WECOM_BOT_SECRET: 's', BOOTSTRAP_ADMINS: 'ZhangSan' });
    expect(config.platform).toEqual({ kind: 'wecom', wecom: { botId: 'aib1', secret: 's', wsUrl: 'wss://openws.work.weixin.qq.com', app: null } });
    expect(config.bootstrapAdmins).toEqual(['zhangsan']);
    const withApp = loadConfig({ WECOM_BOT_ID: 'aib1', WECOM_BOT_SECRET: 's', WECOM_CORP_ID: 'ww1', WECOM_APP_SECRET: 'a', WECOM_AGENT_ID: '1000002' });
    expect(withApp.platform.kind === 'wecom' && withApp.platform.wecom.app).toEqual({ corpId: 'ww1', secret: 'a', agentId: 1000002, apiUrl: 'https://qyapi.weixin.qq.com' });
    expect(errorOf({ WECOM_BOT_ID: 'aib1', WECOM_BOT_SECRET: 's', WECOM_CORP_ID: 'ww1' })).toMatch(/^WECOM_APP_SECRET: required with WECOM_CORP_ID/);
    expect(errorOf({ WECOM_BOT_ID: 'aib1' })).toMatch(/^WECOM_BOT_SECRET: required with WECOM_BOT_ID/);
    expect(errorOf({ WECOM_BOT_ID: 'aib1', WECOM_BOT_SECRET: 's', WECOM_WS_URL: 'https://openws.work.weixin.qq.com' })).toMatch(/^WECOM_WS_URL: a WebSocket URL such as wss:/);
    expect(errorOf({ WECOM_BOT_ID: 'aib1', WECOM_BOT_SECRET: 's', WECOM_CORP_ID: 'ww1', WECOM_APP_SECRET: 'a', WECOM_AGENT_ID: 'abc' })).toMatch(/^WECOM_AGENT_ID: the app's AgentId/);
  });

  it('refuses WeCom’s credentials beside another platform’s, in one line naming both', () => {
    const message = errorOf({ DINGTALK_CLIENT_ID: 'k', DINGTALK_CLIENT_SECRET: 's', WECOM_BOT_ID: 'aib1', WECOM_BOT_SECRET: 's' });
    expect(message).toMatch(/^DINGTALK_CLIENT_ID and WECOM_BOT_ID: both set, credentials for two platforms \(DingTalk and WeCom\)/);
    expect(message).not.toContain('\n');
  });
});

describe('HOLIDAYS_FILE: a year’s official holiday notice for every team', () => {
  const dir = mkdtempSync(join(tmpdir(), 'csbot-holidays-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  let n = 0;
  const file = (content: unknown) => {
    const path = join(dir, `holidays-${++n}.json`);
    writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
    return path;
  };

  it('is not read unless set', () => {
    expect(loadConfig({}).holidayNotice).toBeNull();
  });

  it('reads dates and ranges, a New Year’s holiday reaching into the December before included', () => {
    const path = file({
      2027: { notice: '国务院办公厅关于2027年部分节假日安排的通知', holidays: ['2026-12-31..2027-01-02', '2027-10-01'], workdays: ['2027-01-04', '2027-01-04'] },
    });
    expect(loadConfig({ HOLIDAYS_FILE: path }).holidayNotice).toEqual({
      path,
      years: [2027],
      holidays: ['2026-12-31', '2027-01-01', '2027-01-02', '2027-10-01'],
      workdays: ['2027-01-04'],
    });
  });

  it.each([
    [{ 2027: { holidays: ['2027-02-30'] } }, '2027.holidays[0] "2027-02-30" is not a date of the calendar'],
    [{ 2027: { holidays: ['2027-01-01', 'Feb 6'] } }, '2027.holidays[1] "Feb 6" is not a date: write "YYYY-MM-DD" or a range "YYYY-MM-DD..YYYY-MM-DD", e.g. "2027-10-01..2027-10-07"'],
    [{ 2027: { holidays: ['2026-10-01'] } }, '2027.holidays[0] "2026-10-01" is not in 2027 (a year’s notice reaches back no further than the December before)'],
    [{ 2027: { holidays: ['2027-10-07..2027-10-01'] } }, '2027.holidays[0] "2027-10-07..2027-10-01" ends before it starts'],
    [{ 2027: { holidays: ['2027-01-01..2027-03-01'] } }, '2027.holidays[0] "2027-01-01..2027-03-01" spans more than 31 days: a holiday is a few days'],
    [{ 2027: { holidays: ['2027-01-01..2027-01-03'], workdays: ['2027-01-02'] } }, '2027.workdays[0] "2027-01-02" is also a holiday (2027.holidays[0]): a day is one or the other'],
    [{ 2027: { holidays: [] } }, '2027.holidays is empty: a year needs the holidays its notice lists'],
    [{ 2027: { holidays: '2027-01-01' } }, '2027.holidays must be a list of dates and ranges, e.g. ["2027-01-01..2027-01-03", "2027-10-01..2027-10-07"]'],
    [{ 27: { holidays: ['2027-01-01'] } }, '"27" is not a year: the keys are years such as "2027"'],
    [{ 2027: { holiday: ['2027-01-01'] } }, '2027 has an unknown field "holiday" (the fields are holidays, workdays and notice)'],
    [[1, 2], 'the file must be a JSON object of years, e.g. {"2027": {"holidays": ["2027-01-01..2027-01-03"], "workdays": ["2027-01-04"]}}'],
  ])('names the variable, the file and the bad entry in one line: %j', (content, message) => {
    const path = file(content);
    expect(errorOf({ HOLIDAYS_FILE: path })).toBe(`HOLIDAYS_FILE: in ${path}, ${message}`);
  });

  it('says when the file cannot be read or is not JSON', () => {
    expect(errorOf({ HOLIDAYS_FILE: join(dir, 'none.json') })).toBe(`HOLIDAYS_FILE: cannot read ${join(dir, 'none.json')} (ENOENT)`);
    const bad = file('{"2027": {"holidays": [');
    expect(errorOf({ HOLIDAYS_FILE: bad })).toMatch(new RegExp(`^HOLIDAYS_FILE: ${bad} is not JSON \\([^\\n]+\\)$`));
  });
});
