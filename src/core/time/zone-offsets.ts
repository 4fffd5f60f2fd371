import { IANAZone } from 'luxon';

/**
 * luxon works out a zone's UTC offset with Intl.DateTimeFormat on every call, and every
 * working-time step, deadline and date in a reply asks for it: it was the largest single
 * CPU cost of logging a contact. This remembers each zone's offset per quarter hour (every
 * offset change since 1980 falls on a quarter hour UTC): a quarter whose offset is the same
 * at its first and last millisecond has no change inside it; one with a change (a DST
 * switch) is worked out exactly each time. Installed once, for every IANA zone.
 */
const QUARTER_HOUR = 15 * 60_000;
const CHANGES_INSIDE = Number.NaN;
const MAX_QUARTERS = 100_000;

type Offset = (this: IANAZone, ts: number) => number;
const INSTALLED = Symbol.for('cs-bot.zone-offsets.uncached');
const proto = IANAZone.prototype as IANAZone & { [INSTALLED]?: Offset };
/** luxon's own offset(), for what a quarter hour holds (and for tests). */
export const uncachedOffset: Offset = proto[INSTALLED] ?? proto.offset;
const remembered = new WeakMap<IANAZone, Map<number, number>>();

function cachedOffset(this: IANAZone, ts: number): number {
  if (!Number.isFinite(ts)) return uncachedOffset.call(this, ts);
  let quarters = remembered.get(this);
  if (!quarters) {
    quarters = new Map();
    remembered.set(this, quarters);
  }
  const quarter = Math.floor(ts / QUARTER_HOUR);
  let offset = quarters.get(quarter);
  if (offset === undefined) {
    const first = uncachedOffset.call(this, quarter * QUARTER_HOUR);
    const last = uncachedOffset.call(this, quarter * QUARTER_HOUR + QUARTER_HOUR - 1);
    offset = first === last ? first : CHANGES_INSIDE;
    if (quarters.size >= MAX_QUARTERS) quarters.clear();
    quarters.set(quarter, offset);
  }
  return Number.isNaN(offset) ? uncachedOffset.call(this, ts) : offset;
}

// Once per process, however many times this module is loaded.
if (!proto[INSTALLED]) {
  proto[INSTALLED] = uncachedOffset;
  proto.offset = cachedOffset;
}
