import { describe, expect, it } from "vitest";
import { readCursor, toPrefixTsQuery } from "./search";
import { encodeCursor } from "@/lib/api/pagination";

describe("toPrefixTsQuery", () => {
  it("turns words into lower-case prefix terms joined by &", () => {
    expect(toPrefixTsQuery("Code  rev")).toBe("code:* & rev:*");
    expect(toPrefixTsQuery("Übersetzung 日本語 v2")).toBe("übersetzung:* & 日本語:* & v2:*");
  });

  it("strips tsquery syntax so user text cannot change the query's structure", () => {
    expect(toPrefixTsQuery("a&b|!c:*(d) 'e' <-> f")).toBe("a:* & b:* & c:* & d:* & e:* & f:*");
    expect(toPrefixTsQuery("!!! :* ()")).toBeNull();
    expect(toPrefixTsQuery("")).toBeNull();
  });

  it("drops duplicates and caps the number and length of terms", () => {
    expect(toPrefixTsQuery("go GO go")).toBe("go:*");
    const many = toPrefixTsQuery(Array.from({ length: 20 }, (_, i) => `w${i}`).join(" "))!;
    expect(many.split(" & ")).toHaveLength(8);
    expect(toPrefixTsQuery("x".repeat(80))).toBe(`${"x".repeat(50)}:*`);
  });
});

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
});
