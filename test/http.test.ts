import { describe, expect, it } from "vitest";
import { z } from "zod";
import type { RouteContract } from "@/lib/api/contract";
import { badRequest } from "@/lib/api/errors";
import { withApi } from "@/lib/api/handler";
import { call } from "./http";

// A contract that is not registered (no defineRoute): the document is not touched, only call()'s check is.
const contract: RouteContract = {
  method: "GET",
  path: "/api/example",
  summary: "Example",
  tags: ["test"],
  auth: "public",
  query: z.strictObject({ answer: z.enum(["right", "wrong", "extra", "error", "bad-error"]) }),
  response: z.object({ id: z.string(), count: z.number().int() }),
};

const route = withApi(contract, async ({ query }) => {
  const { answer } = query as { answer: string };
  if (answer === "right") return { id: "a", count: 1 };
  if (answer === "wrong") return { id: "a", count: "1" };
  if (answer === "extra") return { id: "a", count: 1, secret: "s" };
  if (answer === "error") throw badRequest("no");
  return Response.json({ oops: true }, { status: 500 });
});

describe("call() checks every JSON answer against the route's contract", () => {
  it("passes an answer the contract describes, and errors in the one error format", async () => {
    expect((await call(route, "/api/example", { query: { answer: "right" } })).body).toEqual({ id: "a", count: 1 });
    expect((await call(route, "/api/example", { query: { answer: "error" } })).status).toBe(400);
  });

  it("throws naming the route and the zod issue when a success body does not match", async () => {
    await expect(call(route, "/api/example", { query: { answer: "wrong" } })).rejects.toThrow(
      /GET \/api\/example answered 200 with a body its contract does not describe:[\s\S]*count/,
    );
  });

  it("throws on fields the contract does not document", async () => {
    await expect(call(route, "/api/example", { query: { answer: "extra" } })).rejects.toThrow(
      "GET /api/example answered 200 with fields its contract does not document: body.secret",
    );
  });

  it("throws when an error is not in the one error format", async () => {
    await expect(call(route, "/api/example", { query: { answer: "bad-error" } })).rejects.toThrow(
      /GET \/api\/example answered 500 with a body its contract does not describe/,
    );
  });
});
