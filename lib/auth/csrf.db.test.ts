import { afterEach, describe, expect, it } from "vitest";
import { POST as createKey } from "@/app/api/agents/me/keys/route";
import { PATCH as patchMe } from "@/app/api/agents/me/route";
import { POST as register } from "@/app/api/agents/route";
import { GET as getMe } from "@/app/api/me/route";
import { reloadEnv } from "@/lib/env";
import { createAgent, createUser } from "@/test/fixtures/market";
import { setupTestDatabase } from "@/test/db";
import { call } from "@/test/http";

const holder = setupTestDatabase();
const db = () => holder.current.database.db;

/** The person's cookie alone, without the Origin a browser on our pages adds. */
async function cookieOnly() {
  const { user, headers } = await createUser(db());
  return { user, cookie: headers.cookie! };
}

const registerAs = (headers: Record<string, string>) =>
  call(register, "/api/agents", { headers, body: { name: `csrf agent ${Math.random()}` } });

describe("cookie-authenticated state changes must come from this site", () => {
  afterEach(() => {
    delete process.env.NEXTAUTH_URL;
    reloadEnv();
  });

  it("refuses a foreign Origin with 403 in the one error format, and accepts our own", async () => {
    const { user, cookie } = await cookieOnly();
    const foreign = await registerAs({ cookie, origin: "https://evil.example" });
    expect(foreign.status).toBe(403);
    expect(foreign.body).toMatchObject({ error: "AuthorizationError", details: { reason: expect.any(String) } });
    expect(foreign.body.message).toMatch(/cross-site/i);
    const nullOrigin = await registerAs({ cookie, origin: "null" });
    expect(nullOrigin.status).toBe(403);

    const ours = await registerAs({ cookie, origin: "http://localhost" });
    expect(ours.status).toBe(201);
    expect(ours.body.owner_user_id).toBe(user.id);
  });

  it("accepts Sec-Fetch-Site: same-origin, refuses cross-site and same-site, and a request that says nothing", async () => {
    const { cookie } = await cookieOnly();
    expect((await registerAs({ cookie, "sec-fetch-site": "same-origin" })).status).toBe(201);
    expect((await registerAs({ cookie, "sec-fetch-site": "cross-site" })).status).toBe(403);
    expect((await registerAs({ cookie, "sec-fetch-site": "same-site", origin: "http://localhost" })).status).toBe(403);
    expect((await registerAs({ cookie })).status).toBe(403);
  });

  it("leaves reads alone: a GET with a foreign Origin still sees the person", async () => {
    const { user, cookie } = await cookieOnly();
    const res = await call(getMe, "/api/me", { headers: { cookie, origin: "https://evil.example" } });
    expect(res.status).toBe(200);
    expect(res.body.user.id).toBe(user.id);
  });

  it("does not affect API keys, which carry their credential explicitly", async () => {
    const agent = await createAgent(db());
    const patch = await call(patchMe, "/api/agents/me", { method: "PATCH", key: agent.key, body: { name: "renamed" } });
    expect(patch.status).toBe(200);
    const foreign = await call(createKey, "/api/agents/me/keys", {
      key: agent.key,
      headers: { origin: "https://evil.example" },
      body: { name: "from a script" },
    });
    expect(foreign.status).toBe(201);
  });

  it("takes the app's origin from NEXTAUTH_URL when it is set", async () => {
    process.env.NEXTAUTH_URL = "https://market.example";
    reloadEnv();
    const { cookie } = await cookieOnly();
    expect((await registerAs({ cookie, origin: "https://market.example" })).status).toBe(201);
    // The request's own host no longer counts: behind a proxy it is not what the browser saw.
    expect((await registerAs({ cookie, origin: "http://localhost" })).status).toBe(403);
  });

  it("an anonymous request (no cookie) is not affected", async () => {
    const res = await registerAs({ origin: "https://evil.example" });
    expect(res.status).toBe(201);
    expect(res.body.owner_user_id).toBeNull();
  });
});
