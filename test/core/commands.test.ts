import { describe, expect, it } from 'vitest';
import { errorOf, parsed } from '../helpers/parse';
import { NOTE_MAX_CHARS, parseCommand } from '../../src/core/grammar/commands';
import { kpiChartCommand } from '../../src/core/grammar/report-commands';

describe(parseCommand.name, () => {
  it('reads a full log line with phone, time and a note that keeps its spacing', () => {
    expect(parsed('log wechat 张先生 13812345678 at 09:30 问车位价格  和  户型')).toEqual({
      kind: 'log',
      fields: { channel: 'wechat', customer: '张先生', phone: '13812345678', at: '09:30', note: '问车位价格  和  户型' },
    });
  });

  it('accepts the Chinese words for the command and the channel', () => {
    expect(parsed('登记 微信 王女士 问价')).toMatchObject({ kind: 'log', fields: { channel: '微信', customer: '王女士', note: '问价' } });
    expect(parsed('回复 #1024 已回电')).toEqual({ kind: 'reply', id: 1024, note: '已回电' });
    expect(parsed('我的')).toEqual({ kind: 'mine' });
    expect(parsed('帮助')).toEqual({ kind: 'help' });
  });

  it('takes `at` before the phone and a date-time written in two words', () => {
    expect(parsed('log missed 李先生 at 2026-11-20 09:05 13812345678')).toMatchObject({
      fields: { at: '2026-11-20 09:05', phone: '13812345678', note: '' },
    });
  });

  it('reads a phone written in groups, and leaves numbers in the note alone', () => {
    expect(parsed('log wechat 张先生 138 1234 5678 问价')).toMatchObject({ fields: { phone: '13812345678', note: '问价' } });
    expect(parsed('log missed 王女士 +86 138 1234 5678')).toMatchObject({ fields: { phone: '13812345678', note: '' } });
    expect(parsed('log email 李先生 3 套 2 房')).toMatchObject({ fields: { phone: undefined, note: '3 套 2 房' } });
    expect(parsed('log visit 周先生 2 people')).toMatchObject({ fields: { phone: undefined, note: '2 people' } });
  });

  it('accepts ids with or without #', () => {
    expect(parsed('reply #1024')).toEqual({ kind: 'reply', id: 1024, note: '' });
    expect(parsed('resolve 1024 done')).toEqual({ kind: 'resolve', id: 1024, note: 'done' });
    expect(parsed('show ＃77')).toEqual({ kind: 'show', id: 77 });
  });

  it('treats nothing at all, and log alone, as help and the form', () => {
    expect(parsed('')).toEqual({ kind: 'help', brief: true });
    expect(parsed('log')).toEqual({ kind: 'logForm' });
    expect(parsed('投诉')).toEqual({ kind: 'logForm', channel: 'complaint' });
  });

  it('reads a complaint’s level and category after the customer, as words or after their keywords', () => {
    expect(parsed('complaint 李女士 紧急 质量 13912345678 at 09:30 墙面开裂')).toEqual({
      kind: 'log',
      fields: { channel: 'complaint', customer: '李女士', phone: '13912345678', at: '09:30', note: '墙面开裂', level: 'urgent', category: 'quality' },
    });
    expect(parsed('log 投诉 王先生 级别 重大 类别 面积 面积不符')).toMatchObject({ fields: { level: 'major', category: 'area', note: '面积不符' } });
    // Only complaints have them: on a WeChat contact the words are the note.
    expect(parsed('log wechat 王先生 urgent please')).toMatchObject({ fields: { note: 'urgent please' } });
    expect(errorOf('complaint 王先生 level huge x')).toMatchObject({ key: 'err.badLevel', params: { value: 'huge' }, usage: 'usage.complaint' });
  });

  it('names the unknown subcommand and points to help', () => {
    expect(errorOf('blah wechat x')).toMatchObject({ key: 'err.unknownCommand', params: { word: 'blah' }, usage: 'usage.help' });
  });

  it('names the unknown channel and shows the log form', () => {
    expect(errorOf('log sms 张三 hi')).toMatchObject({ key: 'err.unknownChannel', params: { word: 'sms' }, usage: 'usage.log' });
  });

  it('refuses a log without a customer, also when a phone stands in its place', () => {
    expect(errorOf('log wechat')).toMatchObject({ key: 'err.missingCustomer' });
    expect(errorOf('log wechat 13812345678 hi')).toMatchObject({ key: 'err.missingCustomer' });
  });

  it('refuses a bad or missing id', () => {
    expect(errorOf('reply')).toMatchObject({ key: 'err.missingId', usage: 'usage.reply' });
    expect(errorOf('reply abc')).toMatchObject({ key: 'err.badId', params: { value: 'abc' } });
  });

  it('refuses a note over the limit, counting characters not bytes', () => {
    expect(parsed(`note 5 ${'漏'.repeat(NOTE_MAX_CHARS)}`)).toMatchObject({ kind: 'note' });
    expect(errorOf(`note 5 ${'漏'.repeat(NOTE_MAX_CHARS + 1)}`)).toMatchObject({
      key: 'err.noteTooLong',
      params: { length: NOTE_MAX_CHARS + 1, max: NOTE_MAX_CHARS },
    });
    expect(errorOf('note 5')).toMatchObject({ key: 'err.missingNote' });
  });

  it('reads Slack mentions, sandbox @names and plain user ids in team add, before or after the role', () => {
    expect(parsed('team add <@U123ABC|bob> specialist')).toEqual({ kind: 'teamAdd', users: [{ id: 'U123ABC', name: 'bob' }], role: 'specialist' });
    expect(parsed('team add @erin 主管')).toEqual({ kind: 'teamAdd', users: [{ id: 'erin', name: 'erin' }], role: 'supervisor' });
    expect(parsed('team add staff001 specialist')).toEqual({ kind: 'teamAdd', users: [{ id: 'staff001', name: null }], role: 'specialist' });
    // DingTalk takes a mention's @name out of the text: the listener puts the mentions at the end.
    expect(parsed('team add 经理 <@0123-456|张三>')).toEqual({ kind: 'teamAdd', users: [{ id: '0123-456', name: '张三' }], role: 'manager' });
    expect(parsed('team add specialist <@s1> <@s2>')).toEqual({
      kind: 'teamAdd',
      users: [
        { id: 's1', name: null },
        { id: 's2', name: null },
      ],
      role: 'specialist',
    });
    expect(errorOf('team add 张三 specialist')).toMatchObject({ key: 'err.badMention', params: { value: '张三' } });
    expect(errorOf('team add @bob boss')).toMatchObject({ key: 'err.badRole', params: { value: 'boss' } });
    expect(errorOf('team add @bob')).toMatchObject({ key: 'err.badRole', params: { value: '' } });
  });

  it('reads a plain user id or a mention in assign, and only a mention in kpi', () => {
    expect(parsed('assign 1024 staff002')).toEqual({ kind: 'assign', id: 1024, user: { id: 'staff002', name: null } });
    expect(parsed('assign #1024 <@staff002>')).toEqual({ kind: 'assign', id: 1024, user: { id: 'staff002', name: null } });
    expect(parsed('kpi week <@staff002>')).toMatchObject({ kind: 'kpi', user: { id: 'staff002' } });
    expect(errorOf('kpi week staff002')).toMatchObject({ key: 'err.unexpectedWord' });
  });

  it('reads the chart word of kpi in any place, and the team’s charts switch', () => {
    expect(parsed('kpi')).toMatchObject({ kind: 'kpi', chart: false });
    expect(parsed('kpi week chart')).toMatchObject({ kind: 'kpi', period: { kind: 'lastDays', days: 7 }, chart: true });
    expect(parsed('指标 图表 <@staff002>')).toMatchObject({ kind: 'kpi', period: { kind: 'lastDays', days: 30 }, user: { id: 'staff002' }, chart: true });
    expect(parsed('kpi 2026-11 chart')).toMatchObject({ kind: 'kpi', period: { kind: 'days', from: '2026-11-01', to: '2026-11-30' }, chart: true });
    expect(errorOf('kpi week chart chart')).toMatchObject({ key: 'err.unexpectedWord' });
    // The KPI answer's button runs the same period and person again, with the chart.
    expect(kpiChartCommand({ kind: 'lastDays', days: 30, word: 'month' }, null)).toBe('kpi month chart');
    expect(kpiChartCommand({ kind: 'days', from: '2026-11-01', to: '2026-11-30' }, { id: 'U1', name: null })).toBe('kpi 2026-11-01..2026-11-30 <@U1> chart');
    expect(parsed(kpiChartCommand({ kind: 'days', from: '2026-11-01', to: '2026-11-30' }, { id: 'U1', name: null }))).toMatchObject({
      period: { from: '2026-11-01', to: '2026-11-30' },
      user: { id: 'U1' },
      chart: true,
    });
    expect(parsed('team charts off')).toEqual({ kind: 'teamCharts', on: false });
    expect(parsed('team 图表 开')).toEqual({ kind: 'teamCharts', on: true });
    expect(errorOf('team charts maybe')).toMatchObject({ key: 'err.badOnOff', usage: 'usage.teamCharts' });
    expect(errorOf('team charts')).toMatchObject({ key: 'err.missingValue', usage: 'usage.teamCharts' });
  });

  it('checks zones and languages of team settings', () => {
    expect(parsed('team zone America/New_York')).toEqual({ kind: 'teamZone', zone: 'America/New_York' });
    expect(errorOf('team zone Mars/Base')).toMatchObject({ key: 'err.badZone' });
    expect(parsed('team lang 中文')).toEqual({ kind: 'teamLang', lang: 'zh-CN' });
    expect(errorOf('team lang fr')).toMatchObject({ key: 'err.badLang' });
  });
});

describe('finding the phone wherever it stands in a log line', () => {
  it.each([
    // Chinese name words run together, as the name is written: 张 先生 is 张先生.
    ['log wechat 张 先生 13812345678 问价', '张先生', '问价'],
    ['log wechat Zhang Wei 13812345678 asks about parking', 'Zhang Wei', 'asks about parking'],
    ['log wechat 张\u3000先生\u300013812345678\u3000问价', '张先生', '问价'],
    ['log wechat 欧阳 女士 138 1234 5678 问价', '欧阳女士', '问价'],
  ])('takes a name of several words when a phone follows it: %s', (line, customer, note) => {
    expect(parsed(line)).toMatchObject({ fields: { customer, phone: expect.stringMatching(/138/), note, readAs: 'name-words' } });
  });

  it('splits a phone glued to the name', () => {
    expect(parsed('log wechat 王先生13812345672 问价')).toMatchObject({ fields: { customer: '王先生', phone: '13812345672', note: '问价' } });
    expect(parsed('log missed 李女士+8613912345678')).toMatchObject({ fields: { customer: '李女士', phone: '13912345678' } });
  });

  it('takes a phone out of the note, and says so', () => {
    expect(parsed('log wechat 张先生 问车位价格 13812345678')).toMatchObject({ fields: { customer: '张先生', phone: '13812345678', note: '问车位价格', readAs: 'phone-moved' } });
    expect(parsed('log wechat 张先生 客户电话:138-1234-5678，下午回电')).toMatchObject({ fields: { phone: '13812345678', readAs: 'phone-moved' } });
  });

  it('keeps a sentence out of the name', () => {
    expect(parsed('log wechat 张先生 想了解一下车位价格 13812345678')).toMatchObject({ fields: { customer: '张先生', phone: '13812345678' } });
    expect(parsed('log email 李先生 3 套 2 房')).toMatchObject({ fields: { customer: '李先生', phone: undefined, note: '3 套 2 房' } });
  });

  it('reads full-width letters and digits from a Chinese IME as the words they are', () => {
    expect(parsed('log ｗｅｃｈａｔ 张先生 １３８１２３４５６７８ 问价')).toMatchObject({ fields: { channel: 'ｗｅｃｈａｔ', customer: '张先生', phone: '13812345678' } });
    expect(parsed('reply ＃１００１ 已回电')).toEqual({ kind: 'reply', id: 1001, note: '已回电' });
    expect(parsed('ＭＩＮＥ')).toEqual({ kind: 'mine' });
  });

  it('refuses an unknown level or category word that stands among a complaint’s details', () => {
    expect(errorOf('complaint 李女士 超级 质量 13912345678 墙面开裂')).toMatchObject({ key: 'err.badLevel', params: { value: '超级' }, usage: 'usage.complaint' });
    expect(errorOf('complaint 李女士 重大 漏水问题 13912345678 墙面开裂')).toMatchObject({ key: 'err.badCategory', params: { value: '漏水问题' } });
    // Without details after it, the word starts the note.
    expect(parsed('complaint 李女士 13912345678 墙面开裂 很严重')).toMatchObject({ fields: { note: '墙面开裂 很严重' } });
  });

  it('drops control characters, terminal escapes and bidi overrides from what is stored', () => {
    expect(parsed('log wechat 张先生 \u202Eevil\u202C \x1b[31mred\x1b[0m ok\x07')).toMatchObject({ fields: { note: 'evil red ok' } });
  });
});

describe('a phone in the same word as the name', () => {
  it.each([
    ['log wechat 刘先生(13700001111) 问价', '刘先生', '13700001111'],
    ['log wechat 刘先生（137 0000 1111）', '刘先生', '13700001111'],
    ['complaint 周女士13611112222 一般 质量 漏水', '周女士', '13611112222'],
    ['log missed 陈总:+86-139-1234-5678', '陈总', '13912345678'],
  ])('takes it out of the name: %s', (line, customer, phone) => {
    expect(parsed(line)).toMatchObject({ fields: { customer, phone } });
  });
});

describe('errors that say what is wrong', () => {
  it('says a date range runs backwards, is too long, or names no such day, wherever a range is taken', () => {
    expect(errorOf('team closed 2026-12-20..2026-12-18')).toMatchObject({ key: 'err.rangeBackwards', params: { from: '2026-12-20', to: '2026-12-18' }, usage: 'usage.teamClosed' });
    expect(errorOf('team open 2027-03-09~2027-03-02')).toMatchObject({ key: 'err.rangeBackwards', usage: 'usage.teamOpen' });
    expect(errorOf('kpi 2026-12-20..2026-12-18')).toMatchObject({ key: 'err.rangeBackwards', usage: 'usage.kpi' });
    expect(errorOf('export 2026-12-20..2026-12-18')).toMatchObject({ key: 'err.rangeBackwards', usage: 'usage.export' });
    expect(errorOf('team closed 2027-01-01..2028-06-30')).toMatchObject({ key: 'err.rangeTooLong', params: { max: 366 } });
    expect(errorOf('team closed 2027-02-30')).toMatchObject({ key: 'err.noSuchDay', params: { value: '2027-02-30' } });
    expect(errorOf('digest 2026-02-30')).toMatchObject({ key: 'err.noSuchDay', usage: 'usage.digest' });
    // Still a plain "cannot read" for what is no date at all.
    expect(errorOf('team closed 元旦')).toMatchObject({ key: 'err.badDate', params: { value: '元旦' } });
    expect(errorOf('kpi someday')).toMatchObject({ key: 'err.badPeriod', params: { value: 'someday' } });
  });

  it('answers a zero duration with the bounds it must keep, not as unreadable', () => {
    expect(errorOf('team window wechat 0s')).toMatchObject({ key: 'err.windowBounds', params: { value: '0s' } });
    expect(errorOf('team window email.resolution 0h')).toMatchObject({ key: 'err.windowBounds' });
    expect(errorOf('team escalate 0m')).toMatchObject({ key: 'err.escalateBounds', params: { value: '0m' } });
    expect(errorOf('snooze 1001 0m')).toMatchObject({ key: 'err.zeroDuration', params: { value: '0m' }, usage: 'usage.snooze' });
    expect(errorOf('away 0m')).toMatchObject({ key: 'err.badAway' });
    // Unreadable stays unreadable.
    expect(errorOf('team window wechat soon')).toMatchObject({ key: 'err.badDuration', params: { value: 'soon' } });
    expect(errorOf('snooze 1001 10')).toMatchObject({ key: 'err.badDuration' });
  });

  it('says a colleague is missing rather than quoting an empty word', () => {
    for (const line of ['cover @alice', 'cover', 'cover end', 'assign 1001', 'handover @alice', 'rotation skip', 'team add']) {
      expect(errorOf(line), line).toMatchObject({ key: 'err.missingMention' });
    }
    expect(errorOf('cover @alice 张三')).toMatchObject({ key: 'err.badMention', params: { value: '张三' }, usage: 'usage.cover' });
  });

  it('takes the last day of a cover as a date, a day word or a weekday, and says what it takes otherwise', () => {
    expect(parsed('cover @alice @bob until tomorrow')).toMatchObject({ kind: 'cover', until: 'tomorrow' });
    expect(parsed('代班 @alice @bob 到 周五')).toMatchObject({ kind: 'cover', until: '周五' });
    expect(parsed('cover @alice @bob until 2027-01-08')).toMatchObject({ kind: 'cover', until: '2027-01-08' });
    expect(errorOf('cover @alice @bob until someday')).toMatchObject({ key: 'err.badDayWord', params: { value: 'someday' }, usage: 'usage.cover' });
    expect(errorOf('cover @alice @bob until')).toMatchObject({ key: 'err.missingValue', params: { word: 'until' } });
    expect(errorOf('cover @alice @bob until 明天 下午')).toMatchObject({ key: 'err.unexpectedWord', params: { word: '下午' } });
  });
});

describe('a mistyped command', () => {
  it('suggests the nearest command word, in English or Chinese as it was typed', () => {
    expect(errorOf('lgo wechat 张先生 问价')).toMatchObject({ key: 'err.unknownCommandDidYouMean', params: { word: 'lgo', suggestion: 'log' }, usage: 'usage.help' });
    expect(errorOf('reslove 1024')).toMatchObject({ params: { suggestion: 'resolve' } });
    expect(errorOf('comfrim 1024 level major')).toMatchObject({ params: { suggestion: 'confirm' } });
    expect(errorOf('登陆 微信 张先生')).toMatchObject({ params: { word: '登陆', suggestion: '登记' } });
    expect(errorOf('投述 王先生 漏水')).toMatchObject({ params: { suggestion: '投诉' } });
    // Hello is near enough to help: the answer to someone greeting the bot.
    expect(errorOf('hello')).toMatchObject({ params: { suggestion: 'help' } });
    expect(errorOf('team zoen Asia/Shanghai')).toMatchObject({ key: 'err.unknownCommandDidYouMean', params: { word: 'team zoen', suggestion: 'team zone' }, usage: 'usage.team' });
  });

  it('suggests nothing when no command is near', () => {
    expect(errorOf('banana split')).toEqual({ key: 'err.unknownCommand', params: { word: 'banana' }, usage: 'usage.help' });
    expect(errorOf('x')).toMatchObject({ key: 'err.unknownCommand' });
    expect(errorOf('team banana')).toMatchObject({ key: 'err.unknownCommand', params: { word: 'team banana' } });
  });
});
