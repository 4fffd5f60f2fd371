/**
 * A token bucket per source: `perSecond` events a second with bursts of `burst`. Kept in
 * memory, per replica: a rate is no once-only promise, and counting in the database would
 * cost every event a write. `take` says how many ms to wait, 0 when the event may pass.
 */
export function createRateLimiter(perSecond: number, burst: number, now: () => number = () => performance.now()) {
  const buckets = new Map<string, { tokens: number; at: number }>();
  const MAX_SOURCES = 10_000;
  return {
    take(key: string): number {
      const t = now();
      let bucket = buckets.get(key);
      if (!bucket) {
        // Forget the oldest sources rather than grow without bound (an attacker's random ids).
        if (buckets.size >= MAX_SOURCES) buckets.delete(buckets.keys().next().value!);
        bucket = { tokens: burst, at: t };
        buckets.set(key, bucket);
      }
      bucket.tokens = Math.min(burst, bucket.tokens + ((t - bucket.at) / 1000) * perSecond);
      bucket.at = t;
      if (bucket.tokens >= 1) {
        bucket.tokens -= 1;
        return 0;
      }
      return Math.ceil(((1 - bucket.tokens) / perSecond) * 1000);
    },
  };
}
