import { looksLikePhone, normalisePhone } from '../phone';
import { fail, ok, type Result } from '../result';
import type { UserRef } from './command-parts';

/** `/cs team intake …` and `/cs team phone …`: a team's intake source and who is which extension. */
export type IntakeCommand =
  | { readonly kind: 'teamIntake'; readonly action: 'show' | 'on' | 'off' | 'rotate' }
  | { readonly kind: 'teamPhones' }
  | { readonly kind: 'teamPhone'; readonly user: UserRef; readonly key: string; readonly typed: string }
  | { readonly kind: 'teamPhoneRemove'; readonly key: string; readonly typed: string };

export const INTAKE_VERBS: Readonly<Record<string, 'intake' | 'phone'>> = {
  intake: 'intake',
  接入: 'intake',
  来电接入: 'intake',
  phone: 'phone',
  phones: 'phone',
  电话: 'phone',
  分机: 'phone',
};

const INTAKE_ACTIONS: Readonly<Record<string, 'on' | 'off' | 'rotate'>> = {
  on: 'on',
  enable: 'on',
  开: 'on',
  开启: 'on',
  启用: 'on',
  打开: 'on',
  off: 'off',
  disable: 'off',
  关: 'off',
  关闭: 'off',
  停用: 'off',
  rotate: 'rotate',
  更换: 'rotate',
  轮换: 'rotate',
  换密钥: 'rotate',
  更换密钥: 'rotate',
};

const REMOVE_WORDS = ['remove', 'delete', 'rm', '删除', '移除'];

/** The longest extension, number or PBX user name kept (a SIP URI fits). */
const PHONE_KEY_MAX_CHARS = 100;

/**
 * How an extension, number or PBX user name is kept and looked up: trimmed and lower-cased
 * (`Alice@PBX` is `alice@pbx`); a phone number as E.164, whatever shape it came in
 * (`13812345678`, `+86 138-1234-5678`, `008613812345678`); a short extension (`8001`) as its
 * digits; a name with its spaces folded to one (`Emma  Taylor` is `emma taylor`). Null when
 * it is empty or too long.
 */
export function phoneKey(raw: string): string | null {
  const text = raw.normalize('NFKC').trim();
  if (text === '' || [...text].length > PHONE_KEY_MAX_CHARS) return null;
  const compact = text.replace(/[\s\-()]/g, '');
  if (/^(\+|00)?\d+$/.test(compact)) {
    const international = compact.startsWith('00') ? `+${compact.slice(2)}` : compact;
    if (looksLikePhone(international) && international.replace(/\D/g, '').length >= 7) {
      const normalised = normalisePhone(international);
      if (normalised.ok) return normalised.value;
    }
    return international;
  }
  // A PBX user name may be a real name (Zammad sends `user[]=Emma Taylor`): spaces fold to one.
  return text.replace(/\s+/g, ' ').toLowerCase();
}

/** Parses the words after `team intake` or `team phone`; `parseUser` reads a mention or user id. */
export function parseIntakeCommand(verb: 'intake' | 'phone', args: readonly string[], parseUser: (word: string) => UserRef | null): Result<IntakeCommand> {
  if (verb === 'intake') {
    if (args.length === 0) return ok({ kind: 'teamIntake', action: 'show' });
    const action = INTAKE_ACTIONS[args[0]!.toLowerCase()];
    if (!action) return fail({ key: 'err.badIntakeAction', params: { value: args[0]! }, usage: 'usage.intake' });
    if (args.length > 1) return fail({ key: 'err.unexpectedWord', params: { word: args[1]! }, usage: 'usage.intake' });
    return ok({ kind: 'teamIntake', action });
  }
  if (args.length === 0) return ok({ kind: 'teamPhones' });
  if (REMOVE_WORDS.includes(args[0]!.toLowerCase())) {
    if (args.length !== 2) return fail({ key: args.length < 2 ? 'err.missingPhoneKey' : 'err.unexpectedWord', params: { word: args[2] ?? '' }, usage: 'usage.phone' });
    const key = phoneKey(args[1]!);
    return key ? ok({ kind: 'teamPhoneRemove', key, typed: args[1]! }) : fail({ key: 'err.badPhoneKey', params: { value: args[1]!, max: PHONE_KEY_MAX_CHARS }, usage: 'usage.phone' });
  }
  // A person and one key, in either order: a platform may put its mention anywhere in the text.
  const userAt = args.findIndex((w) => /^(<@|[@＠])/.test(w));
  const at = Math.max(userAt, 0);
  const user = parseUser(args[at]!);
  if (!user) return fail({ key: 'err.badMention', params: { value: args[at]! }, usage: 'usage.phone' });
  const rest = args.filter((_w, i) => i !== at);
  if (rest.length === 0) return fail({ key: 'err.missingPhoneKey', usage: 'usage.phone' });
  if (rest.length > 1) return fail({ key: 'err.unexpectedWord', params: { word: rest[1]! }, usage: 'usage.phone' });
  const key = phoneKey(rest[0]!);
  return key ? ok({ kind: 'teamPhone', user, key, typed: rest[0]! }) : fail({ key: 'err.badPhoneKey', params: { value: rest[0]!, max: PHONE_KEY_MAX_CHARS }, usage: 'usage.phone' });
}
