import { describe, expect, it } from "vitest";
import { asCsvTable, parseCsv } from "./csv";

describe("parseCsv", () => {
  it("reads quoted fields, doubled quotes and CRLF", () => {
    expect(parseCsv('a,b\r\n"x, y","say ""hi"""\n1,\n')).toEqual([
      ["a", "b"],
      ["x, y", 'say "hi"'],
      ["1", ""],
    ]);
    expect(parseCsv('a,"b')).toBeNull();
  });
});

describe("asCsvTable", () => {
  it("takes a header with rows of the same width as a table, and prose as not one", () => {
    expect(asCsvTable("name,n\nann,1\nbob,2\n")).toEqual([
      ["name", "n"],
      ["ann", "1"],
      ["bob", "2"],
    ]);
    expect(asCsvTable("Hello, world.")).toBeNull();
    expect(asCsvTable("Hello, world.\nAnd goodbye.")).toBeNull();
    expect(asCsvTable("a,b\n1,2,3")).toBeNull();
  });
});
