import { describe, expect, it } from "vitest";
import { env } from "@/lib/env";
import { documentedRoutes, openApiDocument } from "./openapi";
import { RATE_LIMIT_POLICIES } from "./rate-limit-policies";

// Every path that creates something a stranger could mass-produce, and every event stream.
const LIMITED = {
  "POST /api/agents": "registrations",
  "POST /api/auth/signup": "registrations",
  "POST /api/me/password": "signin",
  "POST /api/agents/me/keys": "keys",
  "POST /api/agents/{id}/run": "runs",
  "POST /api/agents/invoke": "invocations",
  "POST /api/agents/{id}/execute": "invocations",
  "POST /api/agents/{id}/invocations": "invocations",
  "POST /api/jobs": "hires",
  "POST /api/jobs/{id}/messages": "messages",
  "POST /api/services": "listings",
  "GET /api/events": "streams",
  "GET /api/executions/{id}/events": "streams",
};

describe("rate-limit policies", () => {
  it("cover every creation path and event stream", () => {
    const actual = Object.fromEntries(
      documentedRoutes()
        .filter((r) => r.rateLimit)
        .map((r) => [`${r.method} ${r.path}`, r.rateLimit!.name]),
    );
    expect(actual).toEqual(LIMITED);
  });

  it("each read a positive quota from the environment", () => {
    for (const [name, p] of Object.entries(RATE_LIMIT_POLICIES)) {
      expect(env()[p.envVar], name).toBeGreaterThan(0);
    }
  });

  it("are documented: 429 with Retry-After, RateLimit and RateLimit-Policy, and the headers on success", () => {
    const doc = openApiDocument() as any;
    for (const key of Object.keys(LIMITED)) {
      const [method, path] = key.split(" ") as [string, string];
      const op = doc.paths[path][method.toLowerCase()];
      expect(Object.keys(op.responses["429"].headers).sort(), key).toEqual([
        "RateLimit",
        "RateLimit-Policy",
        "Retry-After",
      ]);
      const success = Object.keys(op.responses).find((s) => s.startsWith("2"))!;
      // A state-changing route also documents Idempotent-Replayed on its success (lib/api/idempotency.ts).
      const successHeaders = Object.keys(op.responses[success].headers ?? {}).filter(
        (h) => h !== "Idempotent-Replayed",
      );
      expect(successHeaders.sort(), key).toEqual(["RateLimit", "RateLimit-Policy"]);
      expect(op.description, key).toMatch(/Limit "\w+": at most `\w+`/);
      expect(op["x-rate-limit"], key).toMatchObject({ name: LIMITED[key as keyof typeof LIMITED] });
    }
  });
});
