import { describe, expect, it } from 'vitest';
import { displayPhone, looksLikePhone, maskPhone, normalisePhone } from '../../src/core/phone';

describe(normalisePhone.name, () => {
  it('stores mainland numbers in E.164, with or without +86 and separators', () => {
    for (const raw of ['13812345678', '+8613812345678', '138-1234-5678', '008613812345678']) {
      expect(normalisePhone(raw)).toEqual({ ok: true, value: '+8613812345678' });
    }
  });

  it('accepts a Beijing landline', () => {
    expect(normalisePhone('010-12345678')).toEqual({ ok: true, value: '+861012345678' });
  });

  it('refuses numbers that cannot exist', () => {
    expect(normalisePhone('12345')).toMatchObject({ ok: false, error: { key: 'err.invalidPhone', field: 'phone' } });
    expect(normalisePhone('1381234567')).toMatchObject({ ok: false });
  });
});

describe(maskPhone.name, () => {
  it('hides the middle four digits of a mobile', () => {
    expect(maskPhone('+8613812345678')).toBe('138****5678');
  });
  it('keeps the area code of a landline and hides the rest but four', () => {
    expect(maskPhone('+861012345678')).toBe('010****5678');
  });
  it('masks foreign numbers too', () => {
    expect(maskPhone('+12125550123')).toBe('121****0123');
  });
});

describe(displayPhone.name, () => {
  it('writes a mainland number as it is dialled', () => {
    expect(displayPhone('+8613812345678')).toBe('13812345678');
  });
});

describe(looksLikePhone.name, () => {
  it('tells phone-like words from names and notes', () => {
    expect(looksLikePhone('13812345678')).toBe(true);
    expect(looksLikePhone('+86-138-1234-5678')).toBe(true);
    expect(looksLikePhone('张先生')).toBe(false);
    expect(looksLikePhone('3号楼')).toBe(false);
    expect(looksLikePhone('1024')).toBe(false);
  });
});
