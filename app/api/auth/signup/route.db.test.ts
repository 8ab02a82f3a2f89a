import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { call } from "@/test/http";
import { setupTestDatabase } from "@/test/db";
import { resetRateLimitsForTests } from "@/lib/api/rate-limit";
import { resetEnvForTests } from "@/lib/env";
import { verifyCredentials } from "@/lib/auth/users";
import { POST } from "./route";

setupTestDatabase();

const saved = { limit: process.env.RATE_LIMIT_REGISTRATIONS_PER_HOUR, trust: process.env.TRUST_PROXY };

describe("POST /api/auth/signup", () => {
  beforeEach(() => resetRateLimitsForTests());
  afterAll(() => {
    process.env.RATE_LIMIT_REGISTRATIONS_PER_HOUR = saved.limit;
    if (saved.trust === undefined) delete process.env.TRUST_PROXY;
    else process.env.TRUST_PROXY = saved.trust;
    resetEnvForTests();
  });

  it("creates an account whose password then verifies, without echoing the hash", async () => {
    const res = await call(POST, "/api/auth/signup", {
      body: { email: "Ada@Example.com", name: "Ada", password: "analytical-engine" },
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ email: "ada@example.com", name: "Ada" });
    expect(JSON.stringify(res.body)).not.toContain("scrypt");
    expect((await verifyCredentials("ada@example.com", "analytical-engine"))?.id).toBe(res.body.id);
    expect(await verifyCredentials("ada@example.com", "wrong-password")).toBeNull();
    expect(await verifyCredentials("nobody@example.com", "analytical-engine")).toBeNull();
  });

  it("refuses a second account with the same email (409) and bad input (400)", async () => {
    const body = { email: "grace@example.com", name: "Grace", password: "cobol-rules-1959" };
    expect((await call(POST, "/api/auth/signup", { body })).status).toBe(201);
    const again = await call(POST, "/api/auth/signup", { body: { ...body, email: "GRACE@example.com" } });
    expect(again.status).toBe(409);
    expect(again.body.error).toBe("ConflictError");
    const short = await call(POST, "/api/auth/signup", { body: { ...body, email: "g2@example.com", password: "x" } });
    expect(short.status).toBe(400);
    expect(short.body.details.fields.password).toBeDefined();
  });

  it("rate limits sign-ups per address with Retry-After", async () => {
    const limit = 3;
    process.env.RATE_LIMIT_REGISTRATIONS_PER_HOUR = String(limit);
    // One proxy in front (TRUST_PROXY=1): X-Forwarded-For's rightmost entry is the client's address.
    process.env.TRUST_PROXY = "1";
    resetEnvForTests();
    const headers = { "x-forwarded-for": "203.0.113.9" };
    let last = 0;
    for (let i = 0; i <= limit; i++) {
      const res = await call(POST, "/api/auth/signup", {
        headers,
        body: { email: `u${i}@example.com`, name: "U", password: "password-123" },
      });
      last = res.status;
      if (res.status === 429) {
        expect(Number(res.headers.get("retry-after"))).toBeGreaterThan(0);
        break;
      }
    }
    expect(last).toBe(429);
    // Another address is not affected.
    const other = await call(POST, "/api/auth/signup", {
      headers: { "x-forwarded-for": "203.0.113.10" },
      body: { email: "other@example.com", name: "O", password: "password-123" },
    });
    expect(other.status).toBe(201);
  });
});
