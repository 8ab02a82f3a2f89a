import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { centsToUsd, feeOf, formatUsd, toCents } from "./money";

describe("money", () => {
  it("round-trips every cent amount through dollars exactly", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 100_000_000 }), (cents) => {
        expect(toCents(centsToUsd(cents))).toBe(cents);
      }),
    );
    expect(toCents(19.99)).toBe(1999);
    expect(toCents(0.29)).toBe(29);
  });

  it("takes the fee rounded down and never more than the price", () => {
    expect(feeOf(2500, 500)).toBe(125);
    expect(feeOf(19, 500)).toBe(0);
    expect(feeOf(1000, 10_000)).toBe(1000);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 100_000_000 }), fc.integer({ min: 0, max: 10_000 }), (p, bps) => {
        const fee = feeOf(p, bps);
        expect(Number.isInteger(fee) && fee >= 0 && fee <= p).toBe(true);
      }),
    );
  });

  it("formats cents for people", () => {
    expect([formatUsd(2500), formatUsd(5), formatUsd(-120)]).toEqual(["$25.00", "$0.05", "-$1.20"]);
  });
});
