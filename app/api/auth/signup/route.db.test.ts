import { eq } from "drizzle-orm";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { GET as inbox } from "@/app/api/inbox/route";
import { users } from "@/db/schema";
import { signupResponse } from "@/lib/api/contracts/auth";
import { clearRateLimits } from "@/test/fixtures/rate-limits";
import { reloadEnv } from "@/lib/env";
import { verifyCredentials } from "@/lib/auth/users";
import { sessionHeaders } from "@/test/fixtures/market";
import { setupTestDatabase } from "@/test/db";
import { call } from "@/test/http";
import { POST } from "./route";

const holder = setupTestDatabase();
const db = () => holder.current.database.db;

async function inboxOf(email: string) {
  const [row] = await db().select().from(users).where(eq(users.email, email));
  return call(inbox, "/api/inbox", { headers: await sessionHeaders(row!) });
}

const saved = { limit: process.env.RATE_LIMIT_REGISTRATIONS_PER_HOUR, trust: process.env.TRUST_PROXY };

describe("POST /api/auth/signup", () => {
  beforeEach(() => clearRateLimits());
  afterAll(() => {
    process.env.RATE_LIMIT_REGISTRATIONS_PER_HOUR = saved.limit;
    if (saved.trust === undefined) delete process.env.TRUST_PROXY;
    else process.env.TRUST_PROXY = saved.trust;
    reloadEnv();
  });

  it("creates an account whose password then verifies, without echoing the hash", async () => {
    const res = await call(POST, "/api/auth/signup", {
      body: { email: "Ada@Example.com", name: "Ada", password: "analytical-engine-1843" },
    });
    expect(res.status).toBe(202);
    expect(signupResponse.parse(res.body)).toMatchObject({ email: "ada@example.com" });
    expect(JSON.stringify(res.body)).not.toContain("scrypt");
    const user = await verifyCredentials("ada@example.com", "analytical-engine-1843");
    expect(user?.name).toBe("Ada");
    expect(await verifyCredentials("ada@example.com", "wrong-password")).toBeNull();
    expect(await verifyCredentials("nobody@example.com", "analytical-engine-1843")).toBeNull();
    // A new account's inbox holds no notice.
    expect((await inboxOf("ada@example.com")).body.data).toEqual([]);
  });

  it("answers the same for a registered address, keeps that account as it was, and tells its owner", async () => {
    const body = { email: "grace@example.com", name: "Grace", password: "cobol-rules-1959" };
    const first = await call(POST, "/api/auth/signup", { body });
    const again = await call(POST, "/api/auth/signup", {
      body: { email: "GRACE@example.com", name: "Mallory", password: "mallory-owns-this-now-77" },
    });
    // Same status, same body (the address is the caller's own input, echoed back lower-cased in both cases).
    expect(again.status).toBe(first.status);
    expect(again.body).toEqual(first.body);
    expect([...again.headers.keys()].sort()).toEqual([...first.headers.keys()].sort());

    // The existing account is untouched: its name and password stay, the stranger's password does not work.
    expect((await verifyCredentials("grace@example.com", "cobol-rules-1959"))?.name).toBe("Grace");
    expect(await verifyCredentials("grace@example.com", "mallory-owns-this-now-77")).toBeNull();
    expect(await db().select().from(users).where(eq(users.email, "grace@example.com"))).toHaveLength(1);

    // Its owner finds a notice in their inbox (people get no email from this app: the inbox is the channel).
    const box = await inboxOf("grace@example.com");
    expect(box.status).toBe(200);
    expect(box.body.data).toHaveLength(1);
    expect(box.body.data[0]).toMatchObject({ kind: "system", job_id: null, sender: null, read: false });
    expect(box.body.data[0].subject).toMatch(/create an account with your email/i);
    expect(box.body.unread_count).toBe(1);
    expect(JSON.stringify(box.body)).not.toContain("mallory-owns-this-now-77");
  });

  it("refuses short, common and personal passwords with the reason (400), whether or not the address exists", async () => {
    const cases: [string, RegExp][] = [
      ["x", /at least 10 characters/],
      ["password1234", /too easy to guess.*commonly used password/],
      ["qwertyuiop12", /too easy to guess/],
      ["aaaaaaaaaaaa", /too easy to guess.*Repeated/],
      ["LinusTorvalds1", /too easy to guess.*personal/],
    ];
    await call(POST, "/api/auth/signup", {
      body: { email: "taken@example.com", name: "Taken", password: "kestrel-harbour-71" },
    });
    for (const email of ["linus.torvalds@example.com", "taken@example.com"]) {
      for (const [password, reason] of cases) {
        const res = await call(POST, "/api/auth/signup", { body: { email, name: "Linus Torvalds", password } });
        expect(res.status, password).toBe(400);
        expect(res.body.error).toBe("ValidationError");
        expect(res.body.details.fields.password, password).toMatch(reason);
      }
    }
    expect(await db().select().from(users).where(eq(users.email, "linus.torvalds@example.com"))).toHaveLength(0);
  });

  it("refuses a sign-up another site's page makes through the browser (403); API clients without Origin are fine", async () => {
    const body = { email: "eve@example.com", name: "Eve", password: "kestrel-harbour-71" };
    const crossSite = await call(POST, "/api/auth/signup", { body, headers: { "sec-fetch-site": "cross-site" } });
    expect(crossSite.status).toBe(403);
    const foreign = await call(POST, "/api/auth/signup", { body, headers: { origin: "https://evil.example" } });
    expect(foreign.status).toBe(403);
    expect(foreign.body.error).toBe("AuthorizationError");
    const ours = await call(POST, "/api/auth/signup", { body, headers: { origin: "http://localhost" } });
    expect(ours.status).toBe(202);
  });

  it("rate limits sign-ups per address with Retry-After", async () => {
    const limit = 3;
    process.env.RATE_LIMIT_REGISTRATIONS_PER_HOUR = String(limit);
    // One proxy in front (TRUST_PROXY=1): X-Forwarded-For's rightmost entry is the client's address.
    process.env.TRUST_PROXY = "1";
    reloadEnv();
    const headers = { "x-forwarded-for": "203.0.113.9" };
    let last = 0;
    for (let i = 0; i <= limit; i++) {
      const res = await call(POST, "/api/auth/signup", {
        headers,
        body: { email: `u${i}@example.com`, name: "U", password: "kestrel-harbour-71" },
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
      body: { email: "other@example.com", name: "O", password: "kestrel-harbour-71" },
    });
    expect(other.status).toBe(202);
  });
});
