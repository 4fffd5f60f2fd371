import { createRequire } from 'node:module';
import { z } from 'zod';
import type { HolidayData } from '../core/calendar';

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
