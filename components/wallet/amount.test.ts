import { describe, expect, it } from "vitest";
import { axisCents, dollarsToCents, priceNoteText } from "./amount";

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

describe("priceNoteText", () => {
  it("says what a run or call costs and that only a success is charged", () => {
    expect(priceNoteText(5, "run")).toBe("Costs $0.05 per run, charged only when it succeeds");
    expect(priceNoteText(125, "call")).toBe("Costs $1.25 per call, charged only when it succeeds");
  });

  it("says nothing for a free agent, and tells an owner their own agent is free", () => {
    expect(priceNoteText(null, "run")).toBeNull();
    expect(priceNoteText(0, "call")).toBeNull();
    expect(priceNoteText(5, "run", true)).toBe("Free for you: your agent. Others pay $0.05 per run.");
  });
});

describe("axisCents", () => {
  it("keeps every balance chart label short enough for the axis margin", () => {
    expect(axisCents(0)).toBe("$0.00");
    expect(axisCents(9_999)).toBe("$99.99");
    expect(axisCents(95_000)).toBe("$950");
    expect(axisCents(50_525)).toBe("$505");
    expect(axisCents(100_000)).toBe("$1K");
    expect(axisCents(123_456)).toBe("$1.2K");
    expect(axisCents(25_000_000)).toBe("$250K");
    for (const c of [0, 5, 9_999, 10_000, 55_555, 99_949, 99_950, 100_000, 999_999, 12_345_678, 99_999_999]) {
      expect(axisCents(c).length).toBeLessThanOrEqual(7);
    }
  });
});
