import { describe, expect, it } from "vitest";
import { call } from "@/test/http";
import { DELETE, GET, POST } from "./route";

describe("an /api path no route serves", () => {
  it.each([
    ["GET", GET],
    ["POST", POST],
    ["DELETE", DELETE],
  ] as const)("%s answers 404 in the one error format", async (method, handler) => {
    const res = await call(handler, "/api/nope/at/all", { method, params: { path: ["nope", "at", "all"] } as never });
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ error: "NotFoundError", message: "API route not found" });
  });
});
