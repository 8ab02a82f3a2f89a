import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { GET as streamEvents } from "@/app/api/events/route";
import { POST as createKey } from "@/app/api/agents/me/keys/route";
import { POST as register } from "@/app/api/agents/route";
import { reloadEnv } from "@/lib/env";
import { stopEventHub } from "@/lib/events/hub";
import { createAgent } from "@/test/fixtures/market";
import { setupTestDatabase } from "@/test/db";
import { call } from "@/test/http";
import { serveRoute, type ServedRoute } from "@/test/serve-route";
import { installPeerAddressHook } from "./peer-address";
import { clearRateLimits } from "@/test/fixtures/rate-limits";

const holder = setupTestDatabase();
const db = () => holder.current.database.db;

const LIMIT_VARS = ["RATE_LIMIT_KEYS_PER_HOUR", "RATE_LIMIT_REGISTRATIONS_PER_HOUR", "SSE_MAX_CONNECTIONS_PER_CLIENT"];
const saved = Object.fromEntries(["TRUST_PROXY", ...LIMIT_VARS].map((k) => [k, process.env[k]]));

function setEnv(vars: Record<string, string | undefined>) {
  for (const [k, v] of Object.entries(vars)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  reloadEnv();
}

beforeEach(async () => {
  setEnv(saved);
  await clearRateLimits();
});
afterAll(async () => {
  setEnv(saved);
  await stopEventHub();
});

let n = 0;
const agentBody = () => ({ name: `limited agent ${++n}` });

describe("a used-up limit", () => {
  it("answers 429 with Retry-After, RateLimit and RateLimit-Policy, in the one error format", async () => {
    setEnv({ RATE_LIMIT_KEYS_PER_HOUR: "2" });
    const a = await createAgent(db());
    const b = await createAgent(db());

    const first = await call(createKey, "/api/agents/me/keys", { key: a.key, body: {} });
    expect(first.status).toBe(201);
    // Successful limited requests say where they stand too.
    expect(first.headers.get("ratelimit-policy")).toBe('"keys";q=2;w=3600');
    expect(first.headers.get("ratelimit")).toMatch(/^"keys";r=1;t=(3600|359\d)$/);
    expect((await call(createKey, "/api/agents/me/keys", { key: a.key, body: {} })).status).toBe(201);

    const refused = await call(createKey, "/api/agents/me/keys", { key: a.key, body: {} });
    expect(refused.status).toBe(429);
    const wait = Number(refused.headers.get("retry-after"));
    expect(wait).toBeGreaterThan(3500);
    expect(wait).toBeLessThanOrEqual(3600);
    expect(refused.headers.get("ratelimit-policy")).toBe('"keys";q=2;w=3600');
    expect(refused.headers.get("ratelimit")).toBe(`"keys";r=0;t=${wait}`);
    expect(refused.body).toEqual({
      error: "RateLimitError",
      message: expect.stringContaining("API keys created"),
      details: { retry_after: wait, limit: "keys", quota: 2, window_s: 3600 },
    });
    // Another caller has a count of its own.
    expect((await call(createKey, "/api/agents/me/keys", { key: b.key, body: {} })).status).toBe(201);
  });
});

describe("the client address", () => {
  let served: ServedRoute;
  beforeAll(async () => {
    // As under `next start`: the hook gives handlers the socket's peer, served over a real socket here.
    installPeerAddressHook();
    served = await serveRoute(register);
  });
  afterAll(() => served.close());

  const registerFrom = (forwardedFor: string) =>
    fetch(`${served.url}/api/agents`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-forwarded-for": forwardedFor },
      body: JSON.stringify(agentBody()),
    }).then((r) => r.status);

  it("without TRUST_PROXY ignores X-Forwarded-For: a new address per request does not escape the limit", async () => {
    setEnv({ RATE_LIMIT_REGISTRATIONS_PER_HOUR: "2" });
    const statuses = [];
    for (let i = 1; i <= 4; i++) statuses.push(await registerFrom(`203.0.113.${i}`));
    expect(statuses).toEqual([201, 201, 429, 429]);
  });

  it("with TRUST_PROXY honours X-Forwarded-For as far as the trusted hops, and no further", async () => {
    setEnv({ RATE_LIMIT_REGISTRATIONS_PER_HOUR: "2", TRUST_PROXY: "1" });
    expect(await registerFrom("203.0.113.1")).toBe(201);
    // What the client put left of the proxy's entry is not its address: still 203.0.113.1.
    expect(await registerFrom("6.6.6.6, 203.0.113.1")).toBe(201);
    expect(await registerFrom("7.7.7.7, 203.0.113.1")).toBe(429);
    expect(await registerFrom("203.0.113.2")).toBe(201);

    // Trusted by range: the peer (loopback) is the proxy; the first untrusted hop from the right is the client.
    setEnv({ RATE_LIMIT_REGISTRATIONS_PER_HOUR: "1", TRUST_PROXY: "loopback, 10.0.0.0/8" });
    await clearRateLimits();
    expect(await registerFrom("198.51.100.7, 10.1.1.1")).toBe(201);
    expect(await registerFrom("6.6.6.6, 198.51.100.7, 10.2.2.2")).toBe(429);
    expect(await registerFrom("::ffff:198.51.100.8")).toBe(201);
  });

  it("with no address known counts per caller, never in one bucket shared by everyone", async () => {
    setEnv({ RATE_LIMIT_REGISTRATIONS_PER_HOUR: "2" });
    // Called in-process: no socket, so no address.
    const a = await createAgent(db());
    const b = await createAgent(db());
    const as = async (key?: string) =>
      (await call(register, "/api/agents", { ...(key ? { key } : {}), body: agentBody() })).status;
    expect([await as(a.key), await as(a.key), await as(a.key)]).toEqual([201, 201, 429]);
    expect(await as(b.key)).toBe(201);
    // Nobody to attribute it to: not counted, so one anonymous caller cannot lock out the others.
    expect([await as(), await as(), await as()]).toEqual([201, 201, 201]);
  });
});

describe("concurrent event streams", () => {
  const open: { cancel: () => Promise<void> }[] = [];
  afterEach(async () => {
    for (const s of open.splice(0)) await s.cancel();
  });

  async function subscribe(address: string) {
    const res = await streamEvents(
      new Request("http://localhost/api/events", { headers: { "x-forwarded-for": address } }),
      { params: Promise.resolve({}) },
    );
    if (res.status === 200 && res.body) {
      const reader = res.body.getReader();
      open.push({ cancel: () => reader.cancel().catch(() => {}) });
      return { res, close: () => reader.cancel() };
    }
    return { res, close: async () => {} };
  }

  it("refuses the (N+1)th stream of a client and frees a slot when one closes", async () => {
    setEnv({ SSE_MAX_CONNECTIONS_PER_CLIENT: "2", TRUST_PROXY: "1" });
    const one = await subscribe("203.0.113.20");
    const two = await subscribe("203.0.113.20");
    expect([one.res.status, two.res.status]).toEqual([200, 200]);
    expect(one.res.headers.get("ratelimit-policy")).toBe('"streams";q=2;qu="concurrent-requests"');
    expect(two.res.headers.get("ratelimit")).toBe('"streams";r=0');

    const third = await subscribe("203.0.113.20");
    expect(third.res.status).toBe(429);
    expect(Number(third.res.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(third.res.headers.get("ratelimit")).toMatch(/^"streams";r=0;t=\d+$/);
    expect(await third.res.json()).toMatchObject({ error: "RateLimitError", details: { limit: "streams", quota: 2 } });
    // Another client is not affected.
    expect((await subscribe("203.0.113.21")).res.status).toBe(200);

    await one.close();
    expect((await subscribe("203.0.113.20")).res.status).toBe(200);
    expect((await subscribe("203.0.113.20")).res.status).toBe(429);
  });
});
