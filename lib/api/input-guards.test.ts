import { describe, expect, it } from "vitest";
import { z } from "zod";
import { isJsonContentType, readJsonBody } from "./body";
import { ApiError } from "./errors";
import { findNul, jsonDepthExceeds, lenientObjects } from "./input-guards";

const post = (body: string, type = "application/json") =>
  new Request("http://localhost/x", { method: "POST", body, headers: { "content-type": type } });

async function failure(p: Promise<unknown>): Promise<ApiError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof ApiError) return err;
    throw err;
  }
  throw new Error("expected an ApiError");
}

describe("request input guards", () => {
  it("counts nesting without parsing, ignoring brackets inside strings", () => {
    expect(jsonDepthExceeds('{"a":[[1]]}', 3)).toBe(false);
    expect(jsonDepthExceeds('{"a":[[[1]]]}', 3)).toBe(true);
    expect(jsonDepthExceeds('{"a":"[[[[[[\\"[[["}', 2)).toBe(false);
    expect(jsonDepthExceeds("[".repeat(1_000_000))).toBe(true);
  });

  it("refuses JSON nested past the limit with a 400, not a stack overflow", async () => {
    const err = await failure(readJsonBody(post('{"a":['.repeat(5000) + "1" + "]}".repeat(5000)), 1e9));
    expect(err.status).toBe(400);
    expect(err.message).toMatch(/nests deeper than 64/);
  });

  it("parses only JSON content types: text and forms get 415", async () => {
    expect(isJsonContentType("application/json; charset=utf-8")).toBe(true);
    expect(isJsonContentType("application/merge-patch+json")).toBe(true);
    expect(isJsonContentType("text/plain")).toBe(false);
    expect(isJsonContentType(null)).toBe(false);
    expect((await failure(readJsonBody(post('{"a":1}', "text/plain"), 1000))).status).toBe(415);
    expect((await failure(readJsonBody(post("a=1", "application/x-www-form-urlencoded"), 1000))).status).toBe(415);
    await expect(readJsonBody(post('{"a":1}'), 1000)).resolves.toEqual({ a: 1 });
  });

  it("finds a NUL byte in any string or key, and names where", () => {
    expect(findNul({ a: [{ b: "ok" }, { c: "x\u0000" }] })).toBe("a.1.c");
    expect(findNul({ ["k\u0000"]: 1 })).toBe("k\u0000");
    expect(findNul("\u0000")).toBe("(root)");
    expect(findNul({ a: ["fine", 1, null, true] })).toBeNull();
  });

  it("finds every object schema that would silently drop unknown fields", () => {
    const lenient = z.object({ a: z.strictObject({ b: z.array(z.object({ c: z.string() })) }).optional() });
    expect(lenientObjects(lenient)).toEqual(["(root)", "(root).a.b[]"]);
    const strict = z.strictObject({
      a: z.union([z.strictObject({ k: z.literal(1) }), z.string()]).nullable(),
      r: z.record(z.string(), z.unknown()),
    });
    expect(lenientObjects(strict)).toEqual([]);
  });
});
