import { createRequire } from 'node:module';
import { z } from 'zod';
import type { HolidayData } from '../../core/time/calendar';
import type { HolidayNotice } from './holiday-file';

// chinese-days ships its table as JSON: { holidays: { 'YYYY-MM-DD': 'name,名称,n' }, workdays: {…} (调休), … }.
const tableSchema = z.object({
  holidays: z.record(z.string(), z.string()),
  workdays: z.record(z.string(), z.string()),
});

/**
 * China's statutory holidays and make-up working days from the chinese-days
 * package. A year counts as known only when the table lists holidays in it:
 * for later years the package answers as if every weekday were a working day
 * (2027-01-01 comes back as a workday), which we must not take for data.
 */
export function chineseHolidayData(): HolidayData {
  const table = tableSchema.parse(createRequire(import.meta.url)('chinese-days/dist/chinese-days.json'));
  return holidayDataFrom(Object.keys(table.holidays), Object.keys(table.workdays));
}

/** Holiday data from two lists of local dates, e.g. a team's own or a test's. */
export function holidayDataFrom(holidays: Iterable<string>, workdays: Iterable<string>): HolidayData {
  const holidaySet = new Set(holidays);
  const workdaySet = new Set(workdays);
  const years = new Set([...holidaySet].map((d) => Number(d.slice(0, 4))));
  return {
    kindOf: (date) => (holidaySet.has(date) ? 'holiday' : workdaySet.has(date) ? 'workday' : null),
    covers: (year) => years.has(year),
  };
}

/**
 * The package's table with a notice loaded by the operator laid over it: a year the notice
 * gives is taken from it as a whole (the official notice is the whole year's), every other
 * year from the package. A team's own closed and open dates still come first (see dayStatus).
 */
export function withHolidayNotice(base: HolidayData, notice: HolidayNotice): HolidayData {
  const years = new Set(notice.years);
  const kinds = new Map<string, 'holiday' | 'workday'>([...notice.holidays.map((d) => [d, 'holiday'] as const), ...notice.workdays.map((d) => [d, 'workday'] as const)]);
  return {
    // The notice's own dates first: a New Year's holiday may start in the December before its year.
    kindOf: (date) => kinds.get(date) ?? (years.has(Number(date.slice(0, 4))) ? null : base.kindOf(date)),
    covers: (year) => years.has(year) || base.covers(year),
  };
}
