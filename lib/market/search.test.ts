import { describe, expect, it } from "vitest";
import { toPrefixTsQuery } from "./search";

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
