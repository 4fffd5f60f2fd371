import { readFileSync } from 'node:fs';
import { z } from 'zod';

/**
 * Statutory holidays and make-up working days (调休) of whole years, as the State Council's
 * yearly notice (国务院办公厅关于<year>年部分节假日安排的通知) gives them: loaded once by the
 * operator for every team, for a year the chinese-days package does not know yet.
 */
export interface HolidayNotice {
  /** The years the file gives, each as a whole. */
  readonly years: readonly number[];
  /** Local dates (YYYY-MM-DD), ranges spelled out, sorted. */
  readonly holidays: readonly string[];
  readonly workdays: readonly string[];
}

const EXAMPLE = '{"2027": {"holidays": ["2027-01-01..2027-01-03"], "workdays": ["2027-01-04"]}}';
/** No statutory holiday is longer than nine days: a longer range is a typo. */
const MAX_RANGE_DAYS = 31;
const ENTRY = /^(\d{4}-\d{2}-\d{2})(?:\.\.(\d{4}-\d{2}-\d{2}))?$/;

const dates = z.array(z.string({ error: 'must be a date "YYYY-MM-DD" or a range "YYYY-MM-DD..YYYY-MM-DD"' }), {
  error: 'must be a list of dates and ranges, e.g. ["2027-01-01..2027-01-03", "2027-10-01..2027-10-07"]',
});
const year = z.strictObject(
  {
    // Where the dates come from, for whoever reads the file next year.
    notice: z.string().optional(),
    holidays: dates.min(1, 'is empty: a year needs the holidays its notice lists'),
    workdays: dates.optional(),
  },
  { error: 'must be an object with "holidays" and "workdays"' },
);
const fileSchema = z.record(z.string(), year, { error: `the file must be a JSON object of years, e.g. ${EXAMPLE}` });

const DAY_MS = 86_400_000;

/** A calendar date as a UTC midnight, or null when there is no such day (2027-02-30). Plain arithmetic: this runs before luxon is loaded. */
function utcDay(iso: string): number | null {
  const [y, m, d] = iso.split('-').map(Number) as [number, number, number];
  const ms = Date.UTC(y, m - 1, d);
  return new Date(ms).toISOString().slice(0, 10) === iso ? ms : null;
}

/** The days of one entry of a year's list, or what is wrong with it. */
function daysOf(entry: string, inYear: number): string[] | string {
  const m = ENTRY.exec(entry);
  if (!m) return 'is not a date: write "YYYY-MM-DD" or a range "YYYY-MM-DD..YYYY-MM-DD", e.g. "2027-10-01..2027-10-07"';
  const from = utcDay(m[1]!);
  const to = utcDay(m[2] ?? m[1]!);
  if (from === null || to === null) return 'is not a date of the calendar';
  if (to < from) return 'ends before it starts';
  if ((to - from) / DAY_MS >= MAX_RANGE_DAYS) return `spans more than ${MAX_RANGE_DAYS} days: a holiday is a few days`;
  // New Year's Day may be taken with the end of December, in the new year's notice.
  const fits = (ms: number) => {
    const d = new Date(ms);
    return d.getUTCFullYear() === inYear || (d.getUTCFullYear() === inYear - 1 && d.getUTCMonth() === 11);
  };
  if (!fits(from) || !fits(to)) return `is not in ${inYear} (a year’s notice reaches back no further than the December before)`;
  const days: string[] = [];
  for (let ms = from; ms <= to; ms += DAY_MS) days.push(new Date(ms).toISOString().slice(0, 10));
  return days;
}

const where = (path: ReadonlyArray<PropertyKey>) => path.reduce<string>((s, p) => (typeof p === 'number' ? `${s}[${p}]` : s ? `${s}.${String(p)}` : String(p)), '');

/** A notice from the file's text; the message says the entry that is wrong and how (one line). */
function parseHolidayNotice(text: string): { ok: true; notice: HolidayNotice } | { ok: false; message: string; json: boolean } {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    return { ok: false, json: false, message: (error as Error).message };
  }
  const parsed = fileSchema.safeParse(raw);
  if (!parsed.success) {
    // An unknown field (a misspelt "holiday") says more than the missing one it caused.
    const issue = [...parsed.error.issues].sort((a, b) => Number(b.code === 'unrecognized_keys') - Number(a.code === 'unrecognized_keys'))[0]!;
    const message =
      issue.code === 'unrecognized_keys'
        ? `${where(issue.path)} has an unknown field ${issue.keys.map((k) => `"${k}"`).join(', ')} (the fields are holidays, workdays and notice)`
        : issue.path.length > 0
          ? `${where(issue.path)} ${issue.message}`
          : issue.message;
    return { ok: false, json: true, message };
  }
  const kinds = new Map<string, { kind: 'holidays' | 'workdays'; at: string }>();
  for (const [key, entry] of Object.entries(parsed.data)) {
    if (!/^\d{4}$/.test(key)) return { ok: false, json: true, message: `"${key}" is not a year: the keys are years such as "2027"` };
    for (const kind of ['holidays', 'workdays'] as const) {
      for (const [i, value] of (entry[kind] ?? []).entries()) {
        const at = `${key}.${kind}[${i}]`;
        const days = daysOf(value, Number(key));
        if (typeof days === 'string') return { ok: false, json: true, message: `${at} "${value}" ${days}` };
        for (const day of days) {
          const seen = kinds.get(day);
          if (seen && seen.kind !== kind) {
            const other = seen.kind === 'holidays' ? 'a holiday' : 'a make-up working day';
            return { ok: false, json: true, message: `${at} "${value}" is also ${other} (${seen.at}): a day is one or the other` };
          }
          if (!seen) kinds.set(day, { kind, at });
        }
      }
    }
  }
  const of = (kind: 'holidays' | 'workdays') =>
    [...kinds]
      .filter(([, v]) => v.kind === kind)
      .map(([d]) => d)
      .sort();
  return { ok: true, notice: { years: Object.keys(parsed.data).map(Number).sort(), holidays: of('holidays'), workdays: of('workdays') } };
}

/** Reads a notice file; the error's message is one line naming the file and what is wrong. */
export function readHolidayNotice(path: string): HolidayNotice {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new Error(`cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  const parsed = parseHolidayNotice(text);
  if (parsed.ok) return parsed.notice;
  const oneLine = parsed.message.replace(/\s+/g, ' ');
  throw new Error(parsed.json ? `in ${path}, ${oneLine}` : `${path} is not JSON (${oneLine})`);
}
