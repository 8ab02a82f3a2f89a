import { describe, expect, it } from "vitest";
import { encodeCursor, readCursor, readSeqCursor } from "./pagination";

describe("readCursor", () => {
  const id = "0b7f9a3c-5d1e-4f6a-8b2c-9d0e1f2a3b4c";
  it("accepts [number, uuid] and [null, uuid] where nulls sort", () => {
    expect(readCursor(encodeCursor([12.5, id]), false)).toEqual([12.5, id]);
    expect(readCursor(encodeCursor([null, id]), true)).toEqual([null, id]);
  });

  it("refuses forged cursors with a 400", () => {
    for (const bad of [
      encodeCursor([null, id]),
      encodeCursor(["2026-01-01", id]),
      encodeCursor([1, "x"]),
      encodeCursor([1e20, id]),
      encodeCursor([1]),
      "%%%",
    ]) {
      expect(() => readCursor(bad, false)).toThrow(expect.objectContaining({ status: 400 }));
    }
  });

  it("takes a string, and only a string of at most 300 characters, for a text sort", () => {
    expect(readCursor(encodeCursor(["bravo", id]), false, true)).toEqual(["bravo", id]);
    for (const bad of [encodeCursor([12, id]), encodeCursor(["x".repeat(301), id]), encodeCursor([null, id])]) {
      expect(() => readCursor(bad, false, true)).toThrow(expect.objectContaining({ status: 400 }));
    }
  });
});

describe("readSeqCursor", () => {
  it("accepts a non-negative integer", () => {
    expect(readSeqCursor(encodeCursor([0]))).toBe(0);
    expect(readSeqCursor(encodeCursor([42]))).toBe(42);
  });

  it("refuses forged cursors with a 400", () => {
    for (const bad of [encodeCursor([-1]), encodeCursor([1.5]), encodeCursor(["7"]), encodeCursor([1, 2]), "%%%"]) {
      expect(() => readSeqCursor(bad)).toThrow(expect.objectContaining({ status: 400 }));
    }
  });
});
