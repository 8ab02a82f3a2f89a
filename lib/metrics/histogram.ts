/**
 * Latency histograms with fixed logarithmic buckets, so histograms of any two minutes, versions or processes merge by
 * adding counts, and a percentile over any window is exact to the bucket (never an average of percentiles).
 *
 * Bucket 0 holds everything under 1 ms; bucket i (1..BUCKETS-2) holds (GROWTH^(i-1), GROWTH^i] ms; the last bucket
 * holds everything over the largest bound (about 10 minutes). A percentile is reported as its bucket's upper bound,
 * at most 12% above the true value. The same bounds are used by the SQL functions of the metrics migration
 * (hist_add, hist_sum, hist_quantile), which merge and read histograms inside the database.
 */
export const GROWTH = 1.12;
export const BUCKETS = 120;

/** Upper bound of bucket `i` in milliseconds (the last bucket has none: Infinity). */
export function bucketUpperMs(i: number): number {
  if (i <= 0) return 1;
  if (i >= BUCKETS - 1) return Infinity;
  return GROWTH ** i;
}

export function bucketOf(ms: number): number {
  if (!(ms > 1)) return 0;
  const i = Math.ceil(Math.log(ms) / Math.log(GROWTH) - 1e-9);
  return Math.min(Math.max(i, 1), BUCKETS - 1);
}

export type Histogram = number[];

export function emptyHistogram(): Histogram {
  return new Array<number>(BUCKETS).fill(0);
}

export function record(h: Histogram, ms: number): void {
  h[bucketOf(ms)]! += 1;
}

export function merge(into: Histogram, from: readonly number[]): Histogram {
  for (let i = 0; i < BUCKETS; i++) into[i]! += from[i] ?? 0;
  return into;
}

/** The q-quantile (0..1) as its bucket's upper bound in ms (the largest finite bound for the overflow bucket). */
export function quantile(h: readonly number[], q: number): number | null {
  let total = 0;
  for (const c of h) total += c;
  if (total === 0) return null;
  const rank = Math.max(1, Math.ceil(q * total));
  let seen = 0;
  for (let i = 0; i < BUCKETS; i++) {
    seen += h[i] ?? 0;
    if (seen >= rank) return bucketUpperMs(Math.min(i, BUCKETS - 2));
  }
  return null;
}
