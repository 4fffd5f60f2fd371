import { describe, expect, it } from 'vitest';
import { scrubText } from '../../src/runtime/logger';
import { capturingLogger } from '../helpers/service';

describe(scrubText.name, () => {
  it('masks mainland mobiles in any common spelling', () => {
    expect(scrubText('call 13812345678 now')).toBe('call 138****5678 now');
    expect(scrubText('+8613812345678')).toBe('138****5678');
    expect(scrubText('(+86) 138 1234 5678')).not.toMatch(/1234/);
    expect(scrubText('Key (team_id, phone)=(1, +8613812345678) already exists')).not.toContain('13812345678');
    expect(scrubText('138-1234-5678')).toBe('138****5678');
  });

  it('masks landlines and removes Slack tokens', () => {
    expect(scrubText('office 010-12345678')).toBe('office 010****5678');
    expect(scrubText('token xoxb-123-456-abcDEF and xapp-1-A1-xyz')).toBe('token [token] and [token]');
  });

  it('masks ID-card numbers as messages do', () => {
    expect(scrubText('身份证 11010519491231002X 已核验')).not.toContain('11010519491231002X');
  });

  it('leaves timestamps, ids and short numbers alone', () => {
    expect(scrubText('ts 1795510277187 id 1024 at 2026-11-24')).toBe('ts 1795510277187 id 1024 at 2026-11-24');
  });
});

describe('the logger', () => {
  it('scrubs phones and tokens from messages, fields and errors', () => {
    const { logger, lines } = capturingLogger();
    logger.info({ phone: '+8613812345678', note: 'customer 13812345678', token: 'xoxb-1-2-3' }, 'logged 13812345678');
    logger.error({ err: new Error('duplicate key (+8613812345678)') }, 'failed');
    const out = lines.join('');
    expect(out).not.toMatch(/13812345678|xoxb-1-2-3/);
    expect(out).toContain('customer 138****5678');
    expect(out).toContain('"phone":"[redacted]"');
  });

  it('scrubs a mention whose id is a mobile, a phone kept as a number, interpolated objects and deep ones', () => {
    const { logger, lines } = capturingLogger();
    logger.info({ who: '<@13812345678>', n: 13812345678, at: 1795510277187, deep: { a: { b: { c: { d: { e: { f: { g: '13812345678' } } } } } } } }, 'sent to %o', { to: '13812345678' });
    const out = lines.join('');
    expect(out).not.toContain('13812345678');
    expect(out).toContain('"at":1795510277187');
  });
});
