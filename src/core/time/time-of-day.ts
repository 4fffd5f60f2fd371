import { DateTime, IANAZone } from 'luxon';
import './zone-offsets';
import { fail, ok, type Result } from '../result';

/** A received-at time as typed: a time of day today, or a full local date-time. */
export type AtSpec =
  | { readonly kind: 'timeOfDay'; readonly hour: number; readonly minute: number; readonly raw: string }
  | { readonly kind: 'localDateTime'; readonly iso: string; readonly raw: string };

/** Reads `HH:mm`, `YYYY-MM-DDTHH:mm` or `YYYY-MM-DD HH:mm` (full-width colons too). */
export function parseAtSpec(raw: string): Result<AtSpec> {
  const text = raw.trim().replace(/：/g, ':');
  const time = /^(\d{1,2}):(\d{2})$/.exec(text);
  if (time) {
    const hour = Number(time[1]);
    const minute = Number(time[2]);
    if (hour < 24 && minute < 60) return ok({ kind: 'timeOfDay', hour, minute, raw });
  }
  const full = /^(\d{4}-\d{2}-\d{2})[T ](\d{1,2}:\d{2})$/.exec(text);
  if (full) {
    const iso = `${full[1]}T${full[2]!.padStart(5, '0')}`;
    if (DateTime.fromISO(iso, { zone: 'UTC' }).isValid) return ok({ kind: 'localDateTime', iso, raw });
  }
  return fail({ key: 'err.badTime', params: { value: raw }, field: 'at' });
}

/** Slack of clocks between the user's phone and the server: a minute ahead is still "now". */
const FUTURE_TOLERANCE_MINUTES = 1;

/** The instant an AtSpec names in the team's zone: a time of day is today's. */
export function resolveLocal(spec: AtSpec, zone: string, now: DateTime): Result<DateTime> {
  const local = now.setZone(zone);
  const at = spec.kind === 'timeOfDay' ? local.set({ hour: spec.hour, minute: spec.minute, second: 0, millisecond: 0 }) : DateTime.fromISO(spec.iso, { zone });
  return at.isValid ? ok(at) : fail({ key: 'err.badTime', params: { value: spec.raw }, field: 'at' });
}

/**
 * How far back a contact may be logged: long enough for the longest public holiday (Spring
 * Festival and National Day close offices 8–9 days), short enough that a typo in the year
 * (`at 2020-01-01`) is caught.
 */
export const BACKDATE_MAX_DAYS = 10;

/**
 * The instant an AtSpec names in the team's zone, for a contact received then: a time of
 * day still to come today is yesterday's (`at 23:50` typed after midnight); refuses the
 * future and anything more than a week back.
 */
export function resolveAt(spec: AtSpec, zone: string, now: DateTime): Result<DateTime> {
  const resolved = resolveLocal(spec, zone, now);
  if (!resolved.ok) return resolved;
  const soon = now.plus({ minutes: FUTURE_TOLERANCE_MINUTES });
  const at = spec.kind === 'timeOfDay' && resolved.value > soon ? resolved.value.minus({ days: 1 }) : resolved.value;
  return checkReceivedAt(at, zone, now);
}

/** When a contact came in, however it was given (typed, or an instant another system sent): never in the future, at most BACKDATE_MAX_DAYS back. */
export function checkReceivedAt(at: DateTime, zone: string, now: DateTime): Result<DateTime> {
  if (at > now.plus({ minutes: FUTURE_TOLERANCE_MINUTES })) return fail({ key: 'err.futureTime', params: { time: formatDateTime(at, zone) }, field: 'at' });
  if (at < now.minus({ days: BACKDATE_MAX_DAYS })) {
    return fail({ key: 'err.tooFarBack', params: { time: formatDateTime(at, zone), days: BACKDATE_MAX_DAYS }, field: 'at' });
  }
  return ok(at);
}

/** Date-times in replies: `YYYY-MM-DD HH:mm` in the team's zone. */
export function formatDateTime(at: DateTime, zone: string): string {
  // Put together from the fields: luxon's toFormat parses its pattern on every call.
  const local = at.setZone(zone);
  const two = (n: number) => (n < 10 ? `0${n}` : String(n));
  return `${local.year}-${two(local.month)}-${two(local.day)} ${two(local.hour)}:${two(local.minute)}`;
}

export function isValidZone(zone: string): boolean {
  return IANAZone.isValidZone(zone);
}
