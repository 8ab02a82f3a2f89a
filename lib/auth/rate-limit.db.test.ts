import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { POST as nextAuthPost } from "@/app/api/auth/[...nextauth]/route";
import { ApiError } from "@/lib/api/errors";
import { clearRateLimits } from "@/test/fixtures/rate-limits";
import { reloadEnv } from "@/lib/env";
import { setupTestDatabase } from "@/test/db";
import { enforceSignInLimit } from "./rate-limit";

setupTestDatabase();

const saved = { limit: process.env.AUTH_RATE_LIMIT_PER_MIN, trust: process.env.TRUST_PROXY };
beforeEach(async () => {
  process.env.AUTH_RATE_LIMIT_PER_MIN = "3";
  process.env.TRUST_PROXY = "1";
  reloadEnv();
  await clearRateLimits();
});
afterAll(() => {
  process.env.AUTH_RATE_LIMIT_PER_MIN = saved.limit;
  if (saved.trust === undefined) delete process.env.TRUST_PROXY;
  else process.env.TRUST_PROXY = saved.trust;
  reloadEnv();
});

const from = (address: string) =>
  new Request("http://localhost/api/auth/callback/credentials", {
    method: "POST",
    headers: { "x-forwarded-for": address, "content-type": "application/x-www-form-urlencoded" },
    body: "email=a%40example.com&password=guess",
  });

async function refusal(p: Promise<void>): Promise<ApiError | null> {
  try {
    await p;
    return null;
  } catch (err) {
    if (err instanceof ApiError) return err;
    throw err;
  }
}

describe("sign-in attempts", () => {
  it("allows AUTH_RATE_LIMIT_PER_MIN attempts per address a minute, then says how long to wait", async () => {
    for (let i = 0; i < 3; i++) expect(await refusal(enforceSignInLimit(from("203.0.113.30")))).toBeNull();
    const refused = await refusal(enforceSignInLimit(from("203.0.113.30")));
    expect(refused?.status).toBe(429);
    const wait = Number(refused?.headers?.["Retry-After"]);
    expect(wait).toBeGreaterThan(50);
    expect(wait).toBeLessThanOrEqual(60);
    // Another address has attempts of its own.
    expect(await refusal(enforceSignInLimit(from("203.0.113.31")))).toBeNull();
  });

  it("next-auth's sign-in route answers the refusal in the one error format before next-auth runs", async () => {
    for (let i = 0; i < 3; i++) await enforceSignInLimit(from("203.0.113.32"));
    const res = await nextAuthPost(from("203.0.113.32"), {
      params: Promise.resolve({ nextauth: ["callback", "credentials"] }),
    });
    expect(res.status).toBe(429);
    expect(res.headers.get("ratelimit-policy")).toBe('"signin";q=3;w=60');
    expect(await res.json()).toMatchObject({ error: "RateLimitError", details: { limit: "signin", quota: 3 } });
  });
});
