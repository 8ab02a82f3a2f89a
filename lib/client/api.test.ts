import { describe, expect, it } from "vitest";
import { ApiClientError, errorFrom, withQuery } from "./api";

describe("withQuery", () => {
  it("skips empty values and repeats arrays", () => {
    expect(
      withQuery("/api/agents", { q: "zebra", cursor: undefined, category: "", capability: ["a", "b"], limit: 12 }),
    ).toBe("/api/agents?q=zebra&capability=a&capability=b&limit=12");
    expect(withQuery("/api/x?a=1", { b: true })).toBe("/api/x?a=1&b=true");
    expect(withQuery("/api/x", { a: null })).toBe("/api/x");
  });
});

describe("errorFrom", () => {
  it("keeps the API's error shape, with field errors for forms", async () => {
    const res = Response.json(
      { error: "ValidationError", message: "price_usd: too small", details: { fields: { price_usd: "too small" } } },
      { status: 400 },
    );
    const err = await errorFrom(res);
    expect(err).toBeInstanceOf(ApiClientError);
    expect([err.status, err.error, err.message]).toEqual([400, "ValidationError", "price_usd: too small"]);
    expect(err.fields).toEqual({ price_usd: "too small" });
  });

  it("survives a body that is not JSON", async () => {
    const err = await errorFrom(new Response("<html>bad gateway</html>", { status: 502 }));
    expect([err.status, err.error, err.message, err.fields]).toEqual([502, "HttpError", "Request failed (502)", {}]);
  });
});
