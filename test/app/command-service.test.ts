import { describe, expect, it } from 'vitest';
import { createCommandService } from '../../src/app/commands/command-service';
import { chineseHolidayData } from '../../src/app/team/holidays';
import { textOf } from '../helpers/messages';
import { databaseKinds } from '../helpers/db';
import { capturingLogger, seedTeam } from '../helpers/service';
import { teamFixture } from '../helpers/team';

describe.each(databaseKinds())('createCommandService on $name', (kind) => {
  const team = teamFixture(kind, { start: '2026-11-24T10:00:00+08:00', members: { alice: 'specialist', bob: 'specialist', carol: 'supervisor', dave: 'manager' } });
  const { clock } = team;

  const run = (userId: string, text: string, extra: { requestKey?: string; channelId?: string | null } = {}) =>
    team.service.handle({ userId, channelId: extra.channelId === undefined ? 'C_TEAM' : extra.channelId, text, requestKey: extra.requestKey });

  const count = async (table: 'contacts' | 'customers' | 'contact_events') =>
    Number(
      (
        await team.tdb.db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  it('logs a WeChat contact with id, masked phone and the due time 30 minutes on', async () => {
    const out = await run('alice', 'log wechat 张先生 13812345678 问车位价格');
    const text = textOf(out.reply);
    expect(text).toContain('Logged #1001');
    expect(text).toContain('138****5678');
    expect(text).not.toContain('13812345678');
    expect(text).toContain('2026-11-24 10:00');
    expect(text).toContain('First response due: 2026-11-24 10:30 (within 30 min, working time)');
    expect(text).toContain('Resolution due: 2026-11-25 10:00 (within 1 d, calendar time)');
    expect(out.notices).toEqual([]);
  });

  it('lists my open contacts soonest due first, with the time left', async () => {
    await run('alice', 'log email 王女士 合同问题');
    await run('alice', 'log missed 李先生 13900001111');
    await run('bob', 'log wechat 赵女士 hello');
    clock.advance({ minutes: 20 });
    const text = textOf((await run('alice', 'mine')).reply);
    const lines = text.split('\n').filter((l) => l.startsWith('#'));
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^#1002 · missed call · 李先生 139\*\*\*\*1111 · first response due 2026-11-24 10:15 \(overdue by 5 working minutes\)$/);
    expect(lines[1]).toMatch(/^#1001 · email · 王女士 · first response due 2026-11-24 14:00 \(3 working hours 40 min left\)$/);
  });

  it('records the first reply and the resolution with who and when, and leaves them off my list', async () => {
    await run('alice', 'log wechat 张先生 hi');
    clock.advance({ minutes: 12 });
    expect(textOf((await run('alice', 'reply #1001 called back')).reply)).toBe('#1001: first response recorded (2026-11-24 10:12).');
    expect(textOf((await run('alice', 'reply 1001')).reply)).toContain('already has its first response, at 2026-11-24 10:12');
    clock.advance({ hours: 1 });
    expect(textOf((await run('alice', 'resolve 1001 sent price list')).reply)).toBe('#1001 resolved (2026-11-24 11:12).');
    expect(textOf((await run('alice', 'mine')).reply)).toBe('You have no open customer contacts.');
    const history = textOf((await run('alice', 'show 1001')).reply);
    expect(history).toContain('2026-11-24 10:12 <@alice> first reply (awaiting response → in progress): called back');
    expect(history).toContain('2026-11-24 11:12 <@alice> resolved (in progress → resolved): sent price list');
    expect(history).toContain('First response: 2026-11-24 10:12');
  });

  it('treats calls and visits as answered in person, with no response deadline', async () => {
    const text = textOf((await run('alice', 'log visit 周先生 看样板间')).reply);
    expect(text).toContain('none (answered in person / on the call)');
    expect(text).not.toContain('[Replied');
  });

  it('shows the owner the full phone in private, and refuses another specialist', async () => {
    await run('alice', 'log wechat 张先生 13812345678 hi');
    expect(textOf((await run('alice', 'show 1001')).reply)).toContain('Phone: 13812345678');
    expect(textOf((await run('carol', 'show 1001')).reply)).toContain('Phone: 13812345678');
    const refused = textOf((await run('bob', 'show 1001')).reply);
    // Whose it is stays unsaid.
    expect(refused).toBe('Contact #1001 is not yours; only its owner (or a colleague covering), supervisors and managers may see or change it.');
    expect(textOf((await run('bob', 'reply 1001')).reply)).toContain('is not yours');
    expect(textOf((await run('bob', 'reply 1001')).reply)).not.toContain('alice');
  });

  it('answers a search for someone else’s customer exactly as for no customer at all (no enumeration by phone or name)', async () => {
    await run('alice', 'log wechat 张先生 13812345678 hi');
    // The query is echoed back to the one who typed it, as typed.
    const unknown = (q: string) => `No customer "${q}".`;
    for (const q of ['张先生', '13812345678', '138 1234 5678', '5678', '张']) {
      expect(textOf((await run('bob', `customer ${q}`)).reply)).toBe(`${unknown(q)}\nUse: ${textOf((await run('bob', 'customer 13900000000')).reply).split('\nUse: ')[1]}`);
    }
    expect(textOf((await run('alice', 'customer 5678')).reply)).toContain('Customer 张先生');
    expect(textOf((await run('carol', 'customer 张')).reply)).toContain('Customer 张先生');
  });

  it('keeps the customer with its first owner when someone else logs the same number, and tells the owner', async () => {
    await run('alice', 'log wechat 张先生 13812345678 hi');
    const out = await run('bob', 'log missed 张总 138-1234-5678 called while alice was out');
    // bob reads back what he typed; the name alice stored stays hers.
    // bob learns the number has a consultant, never whose customer it is.
    expect(textOf(out.reply)).toContain('Customer 张总 already has a consultant');
    expect(textOf(out.reply)).not.toContain('<@alice>');
    expect(textOf(out.reply)).not.toContain('张先生');
    expect(out.notices).toHaveLength(1);
    expect(out.notices[0]!.to).toEqual({ kind: 'dm', user: 'alice' });
    expect(textOf(out.notices[0]!.message)).toContain('<@bob> logged #1002 (missed call) for your customer 张先生 138****5678');
    expect(textOf((await run('alice', 'mine')).reply)).toContain('#1002');
    expect(await count('customers')).toBe(1);
  });

  it('finds a customer by phone in any format, listing their contacts', async () => {
    await run('alice', 'log wechat 张先生 13812345678 first');
    await run('alice', 'log email 张先生 13812345678 second');
    const text = textOf((await run('alice', 'customer +86 138 1234 5678')).reply);
    expect(text).toContain('Customer 张先生');
    expect(text).toContain('Contacts (2)');
    expect(textOf((await run('alice', 'customer 不存在')).reply)).toContain('No customer "不存在"');
  });

  it.each([
    ['log sms 张三 hi', 'Unknown channel "sms"', 'Use: `/cs log <channel>'],
    ['log wechat', "The customer's name is missing.", 'Use: `/cs log'],
    ['log wechat 张三 12345 hi', '"12345" is not a valid phone number', 'Use: `/cs log'],
    ['log wechat 张三 at 2026-11-24T10:05 hi', '2026-11-24 10:05 is in the future', 'Use: `/cs log'],
    ['log wechat 张三 at 2026-11-10T10:05 hi', '2026-11-10 10:05 is too far back: a contact can be logged up to 10 days after it came in.', 'Use: `/cs log'],
    ['log wechat 张三 at 7pm hi', 'Cannot read the time "7pm"', 'Use: `/cs log'],
    [`log wechat 张三 ${'x'.repeat(2001)}`, 'The note is too long: 2001 characters, at most 2000.', 'Use: `/cs log'],
    ['reply 999', 'There is no contact #999.', ''],
    ['frobnicate', 'Unknown command "frobnicate"', 'Use: `/cs help`'],
  ])('answers "%.40s" with what was wrong and the right form, writing nothing', async (input, problem, usage) => {
    const text = textOf((await run('alice', input)).reply);
    expect(text).toContain(problem);
    if (usage) expect(text).toContain(usage);
    expect(await count('contacts')).toBe(0);
    expect(await count('customers')).toBe(0);
  });

  it.each(['5 ', '5-', '(5) ', '５　', '+5 '])('answers a 100 KB line of %j within a second, member or not, writing nothing', async (unit) => {
    const line = `log wechat 丁 ${unit.repeat(51_200)}`;
    for (const user of ['alice', 'mallory']) {
      const started = performance.now();
      const text = textOf((await run(user, line)).reply);
      expect(performance.now() - started).toBeLessThan(1000);
      expect(text).toMatch(user === 'alice' ? /too long \(\d+ characters, at most 2500\)/ : /not in any customer-service team/);
    }
    expect(await count('contacts')).toBe(0);
  });

  it('reads a name and phone typed together into the log form’s name field, and says how it read them', async () => {
    const form = await team.service.submitLogForm({ userId: 'alice', channelId: 'C_TEAM', text: '' }, { channel: 'wechat', customer: '上官 婉儿 +86 150-2222-3333', note: '约周六看房' });
    expect(form.ok).toBe(true);
    const text = form.ok ? textOf(form.outcome.reply) : '';
    expect(text).toContain('Customer: 上官婉儿');
    expect(text).toContain('Read as: customer "上官婉儿", phone 150****3333, note "约周六看房"');
    const stored = await team.tdb.db.selectFrom('customers').select(['name', 'phone']).executeTakeFirstOrThrow();
    expect(stored).toEqual({ name: '上官婉儿', phone: '+8615022223333' });
  });

  it('never masks its own examples: help and the right form show whole numbers to copy', async () => {
    expect(textOf((await run('alice', 'help')).reply)).toContain('/cs log wechat 张先生 13812345678');
    const masked = textOf((await run('alice', 'log wechat 韩女士 159****5555 问价')).reply);
    expect(masked).toContain('e.g. 13912345678');
    expect(masked).toContain('Use: `/cs log <channel> <customer> [phone] [at <time>] <note>` logs a contact, e.g. `/cs log wechat 张先生 13812345678');
    expect(await count('contacts')).toBe(0);
  });

  it('answers in Chinese when the team speaks Chinese', async () => {
    await run('dave', 'team lang zh-CN');
    const text = textOf((await run('alice', 'log 短信 张三 hi')).reply);
    expect(text).toContain('不认识的渠道「短信」');
    expect(text).toContain('正确用法：`/cs log <渠道>');
  });

  it('refuses someone in no team, in the default language', async () => {
    const text = textOf((await run('mallory', 'log wechat 张三 hi')).reply);
    expect(text).toContain('You are not in any customer-service team yet');
    expect(await count('contacts')).toBe(0);
  });

  it('refuses a contact of another team, even to its supervisor', async () => {
    await seedTeam(team.tdb.db, { channelId: 'C_OTHER', members: { olga: 'specialist', oscar: 'supervisor' } });
    await run('olga', 'log wechat 外队客户 hi', { channelId: 'C_OTHER' });
    const text = textOf((await run('carol', 'show 1001')).reply);
    // Answered as a contact that does not exist: ids say nothing across teams.
    expect(text).toBe('There is no contact #1001.');
    expect(textOf((await run('carol', 'resolve 1001')).reply)).toBe(textOf((await run('carol', 'resolve 9999')).reply).replace('9999', '1001'));
    expect((await team.tdb.db.selectFrom('contacts').select('status').executeTakeFirstOrThrow()).status).toBe('open');
  });

  it('logs a contact once when the same request arrives twice', async () => {
    const first = await run('alice', 'log wechat 张先生 13812345678 hi', { requestKey: 'command:T1' });
    const again = await run('alice', 'log wechat 张先生 13812345678 hi', { requestKey: 'command:T1' });
    expect(textOf(first.reply)).toContain('Logged #1001');
    expect(textOf(again.reply)).toContain('Logged #1001');
    expect(textOf(again.reply)).toContain('Submitted twice');
    expect(await count('contacts')).toBe(1);
  });

  it('logs a contact once when the same request arrives twice at the same moment', async () => {
    const [a, b] = await Promise.all([run('alice', 'log wechat 张先生 13812345678 hi', { requestKey: 'command:T2' }), run('alice', 'log wechat 张先生 13812345678 hi', { requestKey: 'command:T2' })]);
    expect([textOf(a.reply), textOf(b.reply)].every((t) => t.includes('Logged #1001'))).toBe(true);
    expect(await count('contacts')).toBe(1);
  });

  it('lets only managers change the team, and bootstrap admins create one', async () => {
    expect(textOf((await run('alice', 'team zone Asia/Hong_Kong')).reply)).toBe('Only a manager of this team can change its settings.');
    expect(textOf((await run('dave', 'team zone Asia/Hong_Kong')).reply)).toBe('Team time zone set to Asia/Hong_Kong.');
    expect(textOf((await run('dave', 'team add <@UERIN|erin> supervisor')).reply)).toBe('<@UERIN> added to team "Test team" as supervisor.');
    expect(textOf((await run('dave', 'team add @bob supervisor')).reply)).toBe('<@bob> is now supervisor.');
    expect(textOf((await run('dave', 'team create New', { channelId: 'C_NEW' })).reply)).toContain('Only administrators');
    const created = await run('UADMIN', 'team create 滨江壹号', { channelId: 'C_NEW' });
    expect(textOf(created.reply)).toContain('Team "滨江壹号" created');
    expect(created.notices[0]!.to).toEqual({ kind: 'channel', channel: 'C_NEW' });
    expect(textOf((await run('UADMIN', 'team create Again', { channelId: 'C_NEW' })).reply)).toContain('already the channel of team "滨江壹号"');
    expect(textOf((await run('UADMIN', 'team', { channelId: 'C_NEW' })).reply)).toContain('<@UADMIN> · manager');
  });

  it('uses the team zone for times it reads and writes', async () => {
    await run('dave', 'team zone America/New_York');
    // 10:00 in Shanghai is 21:00 the day before in New York.
    const text = textOf((await run('alice', 'log missed 张三 at 20:30 hi')).reply);
    expect(text).toContain('Received: 2026-11-23 20:30');
    // Outside New York office hours: the 15 working minutes start at 09:00 the next morning.
    expect(text).toContain('First response due: 2026-11-24 09:15');
    expect(text).toContain('Outside working hours: the clock starts at 2026-11-24 09:00.');
  });

  it('answers an unexpected failure with a plain apology and logs it without the phone', async () => {
    const { logger, lines } = capturingLogger();
    const broken = createCommandService({
      platform: 'slack',
      db: team.tdb.db,
      clock: {
        now: () => {
          throw new Error('boom while logging 13812345678');
        },
      },
      logger,
      holidays: chineseHolidayData(),
      defaultLang: 'en',
      bootstrapAdmins: new Set(),
    });
    const out = await broken.handle({ userId: 'alice', channelId: 'C_TEAM', text: 'log wechat 张三 13812345678 hi' });
    expect(textOf(out.reply)).toContain('Something went wrong and nothing was saved');
    expect(await count('contacts')).toBe(0);
    const log = lines.join('');
    expect(log).toContain('boom while logging 138****5678');
    expect(log).not.toContain('13812345678');
  });
});

describe.each(databaseKinds())('handing a contact over by name, on $name', (kind) => {
  const team = teamFixture(kind, { start: '2026-11-24T10:00:00+08:00', members: { alice: 'specialist', bob: 'specialist', carol: 'supervisor' } });
  it('finds the colleague by the name they go by, when a private chat has no one to @mention', async () => {
    await team.run('alice', 'log wechat 张先生 hi');
    // The name a member goes by (on DingTalk: their nick, kept from their messages).
    await team.tdb.db.updateTable('members').set({ display_name: '赵小波' }).where('user_id', '=', 'bob').execute();
    expect(textOf((await team.run('carol', 'assign 1001 赵小波')).reply)).toBe('#1001 handed from <@alice> to <@bob>.');
    expect(textOf((await team.run('carol', 'assign 1001 @赵小波')).reply)).toBe('#1001 handed from <@bob> to <@bob>.');
    expect(textOf((await team.run('carol', 'assign 1001 无此人')).reply)).toMatch(/^无此人 is not in team/);
    await team.tdb.db.updateTable('members').set({ display_name: '赵小波' }).where('user_id', '=', 'alice').execute();
    expect(textOf((await team.run('carol', 'assign 1001 赵小波')).reply)).toMatch(/^More than one member goes by "赵小波"/);
  });
});

describe.each(databaseKinds())('the last day of a cover, on $name', (kind) => {
  const team = teamFixture(kind, { start: '2027-03-10T10:00:00+08:00', members: { alice: 'specialist', bob: 'specialist', carol: 'supervisor' } });

  it('takes a date, 明天 or a weekday, and says a past date has passed rather than that it cannot be read', async () => {
    const past = await team.say('carol', 'cover @alice @bob until 2027-03-01');
    expect(past).toContain('2027-03-01 has passed: give today or a later day.');
    expect(past).not.toContain('Cannot read');
    expect(await team.say('carol', 'cover @alice @bob until tomorrow')).toContain('until 2027-03-11');
    expect(await team.say('carol', 'cover @alice @bob until fri')).toContain('until 2027-03-12');
    expect(await team.say('carol', 'cover @alice @bob until 2027-03-20')).toContain('until 2027-03-20');
  });
});

describe.each(databaseKinds())('a mistyped command, on $name', (kind) => {
  const team = teamFixture(kind, { start: '2027-03-10T10:00:00+08:00', members: { alice: 'specialist', dave: 'manager' } });

  it('is answered with the nearest command, in English and in Chinese', async () => {
    expect(await team.say('alice', 'mien')).toContain('Unknown command "mien". Did you mean `/cs mine`?');
    await team.run('dave', 'team lang zh-CN');
    expect(await team.say('alice', 'overdeu')).toContain('不认识的命令「overdeu」。你是不是想用 `/cs overdue`？');
    expect(await team.say('dave', 'team polcy')).toContain('你是不是想用 `/cs team policy`？');
  });
});

describe.each(databaseKinds())('the help, on $name', (kind) => {
  // Any day will do: the examples are dated from the clock, not written into the catalogue.
  const team = teamFixture(kind, { start: '2031-06-18T10:00:00+08:00', members: { alice: 'specialist', dave: 'manager' } });

  it('shows examples whose dates have not passed, and every team setting including the weekly summary', async () => {
    for (const lang of ['en', 'zh-CN'] as const) {
      await team.run('dave', `team lang ${lang}`);
      const help = await team.say('alice', 'help');
      // No example names a day already past, except the digest's yesterday and the KPIs' last month.
      const dates = [...help.matchAll(/\b(20\d\d-\d\d-\d\d)\b/g)].map((m) => m[1]!);
      expect(dates.filter((d) => d < '2031-06-18')).toEqual(['2031-06-17']);
      expect(help).toContain('`/cs team closed 2032-01-01..2032-01-03`');
      expect(help).toContain('due 2031-06-19 18:00');
      expect(help).toContain('/cs kpi 2031-05 @alice');
      expect(help).toMatch(/`\/cs cover @zhangsan @lisi until (fri|周五)`/);
      expect(help).toContain('`/cs team weekly fri 15:30|off`');
    }
  });

  it('dates the examples of a usage line shown after a mistake too', async () => {
    expect(await team.say('dave', 'team closed 2031-06-20..2031-06-19')).toContain('`/cs team closed 2032-01-01..2032-01-03`');
    expect(await team.say('alice', 'plan 1001 x due tomorrow')).toContain('due 2031-06-19 18:00');
  });
});
