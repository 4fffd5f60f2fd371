import pino, { type DestinationStream, type Logger } from 'pino';
import { maskPhonesIn } from '../core/phone-text';

export type { Logger };

const TOKEN_PATTERN = /\bxox[abpres]-[A-Za-z0-9-]+|\bxapp-[A-Za-z0-9-]+/g;

/**
 * Masks Slack tokens, and phone, ID-card and bank-card numbers the way every message others
 * read is masked (the one number finder: whole digit runs only, so timestamps and ids stay).
 */
export function scrubText(text: string): string {
  return maskPhonesIn(text.replace(TOKEN_PATTERN, '[token]'), [], 'mask');
}

function scrub(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return scrubText(value);
  // A phone kept as a number is a phone all the same; other numbers (timestamps, ids) stay numbers.
  if (typeof value === 'number') return Number.isInteger(value) && scrubText(String(value)) !== String(value) ? scrubText(String(value)) : value;
  if (value === null || typeof value !== 'object') return value;
  // Deeper than anything the bot logs on purpose: written out, and scrubbed as text.
  if (depth > 6) return scrubText(JSON.stringify(value) ?? '');
  if (value instanceof Error) {
    return { type: value.name, message: scrubText(value.message), stack: value.stack ? scrubText(value.stack) : undefined };
  }
  if (Array.isArray(value)) return value.map((v) => scrub(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = scrub(v, depth + 1);
  return out;
}

const REDACTED_KEYS = ['token', 'botToken', 'appToken', 'signingSecret', 'password', 'authorization', 'phone'];

/**
 * The one logger. Known secret keys are removed by pino's redaction, and every
 * string is scrubbed of phone numbers and tokens, including error messages from
 * the database (a unique-violation detail can quote a phone).
 */
export function createLogger(opts: { level: string; destination?: DestinationStream }): Logger {
  return pino(
    {
      level: opts.level,
      redact: { paths: [...REDACTED_KEYS, ...REDACTED_KEYS.map((k) => `*.${k}`)], censor: '[redacted]' },
      formatters: { log: (obj) => scrub(obj) as Record<string, unknown> },
      hooks: {
        logMethod(args, method) {
          // The message and what it interpolates (`%o`, `%s`): the first object is the log's fields, scrubbed by `formatters.log`.
          const scrubbed = args.map((a, i) => (typeof a === 'string' ? scrubText(a) : i > 0 ? scrub(a) : a)) as Parameters<typeof method>;
          method.apply(this, scrubbed);
        },
      },
    },
    opts.destination ?? pino.destination(2),
  );
}
