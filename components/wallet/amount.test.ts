import { describe, expect, it } from "vitest";
import { dollarsToCents } from "./amount";

describe("dollarsToCents", () => {
  it("reads whole dollars and up to two decimals, with or without a dollar sign", () => {
    expect(dollarsToCents("25")).toBe(2500);
    expect(dollarsToCents("12.5")).toBe(1250);
    expect(dollarsToCents(" $0.07 ")).toBe(7);
    expect(dollarsToCents("10000.00")).toBe(1_000_000);
  });

  it("refuses zero, negatives, more than two decimals and anything else", () => {
    for (const bad of ["", "0", "0.00", "-5", "1.234", "abc", "1e3", "1,000"]) expect(dollarsToCents(bad)).toBeNull();
  });
});
