/** A share: `n` of `d` met; null rate when nothing was decided yet. */
export interface Ratio {
  readonly n: number;
  readonly d: number;
}

export const rateOf = (r: Ratio): number | null => (r.d === 0 ? null : r.n / r.d);
