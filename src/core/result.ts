import type { MessageKey, Params } from '../i18n';

/**
 * A mistake the user can fix: a message key with its parameters, and the usage
 * line that shows the right form. Handlers turn it into a reply in the user's
 * language; it is never thrown.
 */
export interface UserError {
  readonly key: MessageKey;
  readonly params?: Params;
  readonly usage?: MessageKey;
  /** Which form field it concerns, so a form can point at it. */
  readonly field?: LogField;
}

export type LogField = 'channel' | 'customer' | 'phone' | 'at' | 'note' | 'level' | 'category';

export type Result<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: UserError };

export const ok = <T>(value: T): Result<T> => ({ ok: true, value });
export const fail = (error: UserError): { ok: false; error: UserError } => ({ ok: false, error });
