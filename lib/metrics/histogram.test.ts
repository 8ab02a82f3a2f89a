import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { BUCKETS, bucketOf, bucketUpperMs, emptyHistogram, GROWTH, merge, quantile, record } from "./histogram";

describe("latency histograms", () => {
  it("put each value in the bucket whose bounds hold it", () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 1e6, noNaN: true }), (ms) => {
        const i = bucketOf(ms);
        expect(i).toBeGreaterThanOrEqual(0);
        expect(i).toBeLessThan(BUCKETS);
        if (i < BUCKETS - 1) expect(ms).toBeLessThanOrEqual(bucketUpperMs(i) * (1 + 1e-9));
        if (i > 0) expect(ms).toBeGreaterThan(bucketUpperMs(i - 1) * (1 - 1e-9));
      }),
    );
  });

  it("give percentiles within one bucket of the exact ones", () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 1.01, max: 50_000, noNaN: true }), { minLength: 1, maxLength: 500 }),
        (values) => {
          const h = emptyHistogram();
          values.forEach((v) => record(h, v));
          const sorted = [...values].sort((a, b) => a - b);
          for (const q of [0.5, 0.95, 0.99]) {
            const exact = sorted[Math.max(0, Math.ceil(q * sorted.length) - 1)]!;
            const got = quantile(h, q)!;
            expect(got).toBeGreaterThanOrEqual(exact * (1 - 1e-6));
            expect(got).toBeLessThanOrEqual(exact * GROWTH * (1 + 1e-6) + 0.01);
          }
        },
      ),
    );
  });

  it("merge by adding: the percentile of two merged minutes is that of all their calls, not an average", () => {
    const fast = emptyHistogram();
    const slow = emptyHistogram();
    for (let i = 0; i < 99; i++) record(fast, 10);
    record(slow, 5_000);
    const all = merge(merge(emptyHistogram(), fast), slow);
    expect(quantile(all, 0.99)).toBeLessThan(12);
    expect(quantile(all, 1)).toBeGreaterThanOrEqual(5_000);
    expect(quantile(emptyHistogram(), 0.5)).toBeNull();
  });
});
