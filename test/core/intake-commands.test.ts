import { describe, expect, it } from 'vitest';
import { errorOf, parsed } from '../helpers/parse';
import { phoneKey } from '../../src/core/grammar/intake-commands';

describe('the intake commands', () => {
  it('reads the intake status, on, off and rotate, in English and Chinese', () => {
    expect(parsed('team intake')).toEqual({ kind: 'teamIntake', action: 'show' });
    expect(parsed('team intake on')).toEqual({ kind: 'teamIntake', action: 'on' });
    expect(parsed('团队 来电接入 开启')).toEqual({ kind: 'teamIntake', action: 'on' });
    expect(parsed('team 接入 关闭')).toEqual({ kind: 'teamIntake', action: 'off' });
    expect(parsed('team intake rotate')).toEqual({ kind: 'teamIntake', action: 'rotate' });
    expect(parsed('团队 来电接入 更换密钥')).toEqual({ kind: 'teamIntake', action: 'rotate' });
  });

  it('answers an unknown intake word with the right form', () => {
    expect(errorOf('team intake maybe')).toMatchObject({ key: 'err.badIntakeAction', params: { value: 'maybe' }, usage: 'usage.intake' });
    expect(errorOf('team intake on now')).toMatchObject({ key: 'err.unexpectedWord', usage: 'usage.intake' });
  });

  it('reads who is which extension, number or PBX user name, the mention on either side', () => {
    expect(parsed('team phone @alice 8001')).toEqual({ kind: 'teamPhone', user: { id: 'alice', name: 'alice' }, key: '8001', typed: '8001' });
    expect(parsed('team phone <@U1|alice> 13812345678')).toMatchObject({ kind: 'teamPhone', user: { id: 'U1' }, key: '+8613812345678' });
    expect(parsed('团队 分机 Alice@PBX @alice')).toMatchObject({ kind: 'teamPhone', user: { id: 'alice' }, key: 'alice@pbx' });
    expect(parsed('team phone @alice "Emma Taylor"')).toMatchObject({ kind: 'teamPhone', key: 'emma taylor' });
    expect(parsed('team phone')).toEqual({ kind: 'teamPhones' });
    expect(parsed('team phone remove 8001')).toEqual({ kind: 'teamPhoneRemove', key: '8001', typed: '8001' });
  });

  it('refuses a phone line without a key or with two', () => {
    expect(errorOf('team phone @alice')).toMatchObject({ key: 'err.missingPhoneKey', usage: 'usage.phone' });
    expect(errorOf('team phone @alice 8001 8002')).toMatchObject({ key: 'err.unexpectedWord', params: { word: '8002' } });
    expect(errorOf(`team phone @alice ${'x'.repeat(101)}`)).toMatchObject({ key: 'err.badPhoneKey' });
  });
});

describe(phoneKey.name, () => {
  it('keeps a number as E.164 in whatever shape it came, an extension as its digits, a name lower-cased', () => {
    expect(phoneKey('13812345678')).toBe('+8613812345678');
    expect(phoneKey('+86 138-1234-5678')).toBe('+8613812345678');
    expect(phoneKey('008613812345678')).toBe('+8613812345678');
    expect(phoneKey('8613812345678')).toBe('+8613812345678');
    expect(phoneKey('8001')).toBe('8001');
    expect(phoneKey('８００１')).toBe('8001');
    expect(phoneKey('Alice@PBX')).toBe('alice@pbx');
    expect(phoneKey('Emma  Taylor')).toBe('emma taylor');
    expect(phoneKey('  ')).toBeNull();
  });
});
