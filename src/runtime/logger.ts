import pino, { type DestinationStream, type Logger } from 'pino';

export type { Logger };

// Mainland mobiles with or without +86, and any long run of digits that could be a phone.
const PHONE_PATTERN = /(?<![\d+])(?:(?:\+?86[\s-]?)?1[3-9]\d[\s-]?\d{4}[\s-]?\d{4}|\+\d{8,15}|0\d{2,3}-?\d{7,8})(?!\d)/g;
const TOKEN_PATTERN = /\bxox[abpres]-[A-Za-z0-9-]+|\bxapp-[A-Za-z0-9-]+/g;

/** Masks phone numbers and Slack tokens in any text that is about to be logged. */
export function scrubText(text: string): string {
  return text
    .replace(TOKEN_PATTERN, '[token]')
    .replace(PHONE_PATTERN, (phone) => {
      const digits = phone.replace(/\D/g, '');
      return `${digits.slice(0, 3)}****${digits.slice(-4)}`;
    });
}

function scrub(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return scrubText(value);
  if (depth > 6 || value === null || typeof value !== 'object') return value;
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
          const scrubbed = args.map((a) => (typeof a === 'string' ? scrubText(a) : a)) as Parameters<typeof method>;
          method.apply(this, scrubbed);
        },
      },
    },
    opts.destination ?? pino.destination(2),
  );
}
