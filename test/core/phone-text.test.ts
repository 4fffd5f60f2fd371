import { describe, expect, it } from 'vitest';
import { parseCommand, readCommand } from '../../src/core/grammar/commands';
import { findNumbers, maskPhonesIn } from '../../src/core/phone-text';

const logged = (line: string) => {
  const parsed = parseCommand(line);
  if (!parsed.ok || parsed.value.kind !== 'log') throw new Error(`not a log: ${JSON.stringify(parsed)}`);
  return parsed.value.fields;
};

/** 100 KB of one shape of digits, after a log command's first words. */
const adversarial = (unit: string) => `log wechat 丁 ${unit.repeat(Math.ceil((100 * 1024) / unit.length))}`;
const SHAPES = ['7 ', '7-', '+7 ', '(7) ', '７　', '18 6-(0)+2１ ', '7', '2031-04-17 ', '15911112222 ', '7X '];

describe(findNumbers.name, () => {
  it.each(SHAPES)('reads 100 KB of %j in one pass (well under a second)', (unit) => {
    const text = adversarial(unit);
    const started = performance.now();
    findNumbers(text);
    maskPhonesIn(text);
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it('takes a number only when its whole digit run is one: an order number is no phone', () => {
    expect(findNumbers('订单号 1591234567890 已付款')).toEqual([]);
    expect(findNumbers('合同 86159123456789')).toEqual([]);
    // A digit beside a phone, across a space, stays its own.
    expect(maskPhonesIn('15912345678 3套')).toBe('159****5678 3套');
    expect(maskPhonesIn('第9 15912345678')).toBe('第9 159****5678');
  });

  it('masks landlines whose local part is written in two groups, and bare eight-digit local numbers', () => {
    expect(maskPhonesIn('办公室 0571-8765 4321')).toBe('办公室 057****4321');
    expect(maskPhonesIn('前台 020 3456 7890 转 8')).toBe('前台 020****7890 转 8');
    expect(maskPhonesIn('家里 66778899 晚上打')).toBe('家里 66****99 晚上打');
    expect(maskPhonesIn('家里 6677 8899')).toBe('家里 66****99');
  });

  it('masks a bracketed country code with its brackets, leaving nothing stray', () => {
    expect(maskPhonesIn('客户（+86）15012345678')).toBe('客户150****5678');
    expect(maskPhonesIn('客户 (+86) 150 1234 5678。')).toBe('客户 150****5678。');
  });

  it('masks ID-card and bank-card numbers, and leaves numbers that fail their check alone', () => {
    // A valid resident ID (check character X) and a valid Luhn card number, written as people do.
    expect(maskPhonesIn('身份证440308199001015010')).toBe('身份证4403**********5010');
    expect(maskPhonesIn('证件 11010519491231002x 已核')).toBe('证件 1101**********002X 已核');
    expect(maskPhonesIn('退款卡 6217 0000 1234 5678 907')).toMatch(/^退款卡 6217\*+8907$/);
    expect(maskPhonesIn('卡 5500005555555559')).toBe('卡 5500********5559');
    // One digit off: no ID, no card.
    expect(findNumbers('440308199001015014 5500005555555558')).toEqual([]);
  });

  it('never masks dates, times, amounts or ids the text holds', () => {
    for (const text of [
      '2031-04-17 09:45 来访',
      '首付 3500000 元',
      '总价 42800000 元',
      '定金￥20000000',
      '2031年4月17日 20310417',
      '#1024 已回复',
      'export-2031-04-11-2031-04-17-20310417-094512.csv',
      '30 分钟',
      '<@084563543924217584> 回复',
    ]) {
      expect(maskPhonesIn(text)).toBe(text);
    }
  });

  it('never masks what the bot names as its own text, even where it reads like a number', () => {
    const path = '/srv/exports/calls-0571-8765-4321.csv';
    expect(maskPhonesIn(`已保存：${path}`, [path])).toBe(`已保存：${path}`);
    expect(maskPhonesIn(`已保存：${path} 客户 0571-8765 4321`, [path])).toBe(`已保存：${path} 客户 057****4321`);
  });
});

describe('the one reader of name, phone and note', () => {
  it.each([
    ['log wechat 司马 相如 +86 159-1111-2222 看样板间', '司马相如', '15911112222', '看样板间'],
    ['log call Lily Chen15922223333 asks about parking', 'Lily Chen', '15922223333', 'asks about parking'],
    ['log wechat 罗 小姐 0571-8765 4321 下午回电', '罗小姐', '057187654321', '下午回电'],
    ['log wechat 郑先生(+86)15933334444', '郑先生', '15933334444', ''],
    ['log wechat 张三丰 先生 15955556666 约看房', '张三丰先生', '15955556666', '约看房'],
    ['log wechat 慕容 云海 女士 159 5555 7777', '慕容云海女士', '15955557777', ''],
    ['log wechat 王先生 和 李女士 15955558888', '王先生', '15955558888', '和 李女士'],
  ])('reads %s', (line, customer, phone, note) => {
    expect(logged(line)).toMatchObject({ customer, phone, note });
  });

  it('keeps an order number in the note instead of refusing the line', () => {
    expect(logged('log wechat 韩女士 15944445555 订单 1591234567890 已付款')).toMatchObject({ customer: '韩女士', phone: '15944445555', note: '订单 1591234567890 已付款' });
    expect(logged('log email 韩女士 问发票 订单 1591234567890')).toMatchObject({ customer: '韩女士', phone: undefined, note: '问发票 订单 1591234567890' });
  });

  it('answers a masked number pasted back: type the full number', () => {
    for (const line of ['log wechat 韩女士 159****5555 问价', 'log wechat 韩女士 问价 159****5555', 'visit 韩女士 159****5555']) {
      expect(parseCommand(line)).toMatchObject({ ok: false, error: { key: 'err.maskedPhone' } });
    }
  });

  it('reads no more than a command can be: a 100 KB line is answered unread', () => {
    expect(readCommand(adversarial('7 '), true)).toMatchObject({ ok: false, error: { key: 'err.commandTooLong' } });
    expect(readCommand(adversarial('7 '), false)).toMatchObject({ ok: false, error: { key: 'err.notInTeam' } });
    expect(readCommand('help', false)).toMatchObject({ ok: true, value: { kind: 'help' } });
  });
});
