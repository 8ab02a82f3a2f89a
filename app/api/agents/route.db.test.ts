import { createHash } from "node:crypto";
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { agents, apiKeys, events, services, users } from "@/db/schema";
import { sessionHeaders } from "@/test/fixtures/market";
import { setTestEnv } from "@/test/fixtures/runtime";
import { setupTestDatabase } from "@/test/db";
import { call } from "@/test/http";
import { bayesianScore } from "@/lib/market/ranking";
import { DELETE as deleteAgent, GET as getAgent, PUT as putAgent } from "./[id]/route";
import { DELETE as revokeKey } from "./me/keys/[keyId]/route";
import { GET as listKeys, POST as createKey } from "./me/keys/route";
import { GET as getMe, PATCH as patchMe } from "./me/route";
import { PUT as putStatus } from "./me/status/route";
import { GET as searchAgents, POST as register } from "./route";

const holder = setupTestDatabase();
// The operator allows AgentCore runtimes named bot-* of one account (AGENTCORE_ALLOWED_RUNTIME_ARNS).
beforeAll(() =>
  setTestEnv({ AGENTCORE_ALLOWED_RUNTIME_ARNS: "arn:aws:bedrock-agentcore:*:123456789012:runtime/bot-*" }),
);
afterAll(() => setTestEnv({ AGENTCORE_ALLOWED_RUNTIME_ARNS: undefined }));
const db = () => holder.current.database.db;

let n = 0;
async function registerAgent(body: Record<string, unknown> = {}, headers?: Record<string, string>) {
  const res = await call(register, "/api/agents", { body: { name: `agent ${++n}`, ...body }, headers });
  expect(res.status).toBe(201);
  return res.body as { id: string; api_key: string; api_key_id: string } & Record<string, unknown>;
}

async function signedInUser() {
  const [user] = await db()
    .insert(users)
    .values({ email: `u${++n}-${Date.now()}@example.test`, name: `user ${n}` })
    .returning();
  return { id: user!.id, headers: await sessionHeaders(user!) };
}

async function eventsOf(type: string, agentId: string) {
  return db()
    .select()
    .from(events)
    .where(sql`${events.type} = ${type} AND ${agentId}::uuid = ANY(${events.agentIds})`);
}

describe("POST /api/agents", () => {
  it("returns the key once, stores only its hash, and the key authenticates both ways", async () => {
    const a = await registerAgent({ capabilities: ["Coding", " testing "], category: "Dev" });
    expect(a.api_key).toMatch(/^agmkt_sk_[A-Za-z0-9_-]{43}$/);
    expect(a).toMatchObject({ status: "active", reputation: 0, capabilities: ["coding", "testing"], category: "dev" });
    expect(a).toMatchObject({ owner_user_id: null, runtime: null, runnable: false, invocable: false });

    const [row] = await db().select().from(apiKeys).where(eq(apiKeys.agentId, a.id));
    expect(row!.keyHash).toBe(createHash("sha256").update(a.api_key).digest("hex"));
    expect(JSON.stringify(row)).not.toContain(a.api_key);
    expect(row!.scopes).toContain("keys:manage");

    const profile = await call(getAgent, `/api/agents/${a.id}`, { params: { id: a.id } });
    expect(profile.status).toBe(200);
    expect(profile.body.api_key).toBeUndefined();

    const viaHeader = await call(getMe, "/api/agents/me", { key: a.api_key });
    expect(viaHeader.body.id).toBe(a.id);
    const viaBearer = await call(getMe, "/api/agents/me", { headers: { authorization: `Bearer ${a.api_key}` } });
    expect(viaBearer.body.id).toBe(a.id);
    expect(await eventsOf("agent_registered", a.id)).toHaveLength(1);
  });

  it("refuses read-only and unknown fields, bad limits and bad runtimes with 400", async () => {
    for (const extra of [
      { reputation: 5 },
      { id: "7d6f1a52-0d7a-4c43-9a3f-8f4a8c6f0c11" },
      { status: "busy" },
      { owner_user_id: null },
      { jobs_completed: 3 },
      { name: "" },
      { name: "x".repeat(101) },
      { description: "x".repeat(5001) },
      { capabilities: Array.from({ length: 51 }, (_, i) => `c${i}`) },
      { capabilities: ["x".repeat(51)] },
      { runtime: { kind: "local", command: [] } },
      { runtime: { kind: "local", artifact: "text-stats", command: ["node", "x.mjs"] } },
      { runtime: { kind: "agentcore", runtime_arn: "nope" } },
    ]) {
      const res = await call(register, "/api/agents", { body: { name: "ok", ...extra } });
      expect(res.status, JSON.stringify(extra)).toBe(400);
      expect(res.body.error).toBe("ValidationError");
    }
  });

  it("answers 413 past the body limit", async () => {
    const res = await call(register, "/api/agents", { body: { name: "big", description: "x".repeat(1_100_000) } });
    expect(res.status).toBe(413);
  });

  it("makes a signed-in person the owner, listed under owner=me", async () => {
    const user = await signedInUser();
    const a = await registerAgent({ runtime: { kind: "local", artifact: "text-stats" } }, user.headers);
    expect(a.owner_user_id).toBe(user.id);
    expect(a.runnable).toBe(true);
    const mine = await call(searchAgents, "/api/agents", { query: { owner: "me" }, headers: user.headers });
    expect(mine.body.data.map((x: { id: string }) => x.id)).toEqual([a.id]);
    expect((await call(searchAgents, "/api/agents", { query: { owner: "me" } })).status).toBe(401);
  });
});

describe("/api/agents/me", () => {
  it("updates the profile and status with agents:write and records events", async () => {
    const a = await registerAgent();
    const res = await call(patchMe, "/api/agents/me", {
      method: "PATCH",
      key: a.api_key,
      body: { description: "new", capabilities: ["a", "b"] },
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ description: "new", capabilities: ["a", "b"] });
    expect((await eventsOf("agent_updated", a.id))[0]!.data).toEqual({ fields: ["description", "capabilities"] });

    const bad = await call(patchMe, "/api/agents/me", { method: "PATCH", key: a.api_key, body: { reputation: 5 } });
    expect(bad.status).toBe(400);

    const status = await call(putStatus, "/api/agents/me/status", {
      method: "PUT",
      key: a.api_key,
      body: { status: "busy" },
    });
    expect(status.body.status).toBe("busy");
    expect((await eventsOf("agent_status_changed", a.id))[0]!.data).toEqual({ from: "active", to: "busy" });
    const retire = await call(putStatus, "/api/agents/me/status", {
      method: "PUT",
      key: a.api_key,
      body: { status: "retired" },
    });
    expect(retire.status).toBe(400);
  });

  it("needs ?agent_id= of an owned agent for a signed-in person", async () => {
    const user = await signedInUser();
    const mine = await registerAgent({}, user.headers);
    const other = await registerAgent();
    expect((await call(getMe, "/api/agents/me", { headers: user.headers })).status).toBe(400);
    const ok = await call(getMe, "/api/agents/me", { headers: user.headers, query: { agent_id: mine.id } });
    expect(ok.body.id).toBe(mine.id);
    const theirs = await call(getMe, "/api/agents/me", { headers: user.headers, query: { agent_id: other.id } });
    expect(theirs.status).toBe(403);
    const keys = await call(listKeys, "/api/agents/me/keys", { headers: user.headers, query: { agent_id: mine.id } });
    expect(keys.body.data).toHaveLength(1);
  });

  it("manages keys: scoped keys, listing without secrets, revocation, last key kept", async () => {
    const a = await registerAgent();
    const created = await call(createKey, "/api/agents/me/keys", {
      key: a.api_key,
      body: { name: "reader", scopes: ["jobs:read"] },
    });
    expect(created.status).toBe(201);
    expect(created.body.api_key).toMatch(/^agmkt_sk_/);
    expect(created.body.scopes).toEqual(["jobs:read"]);
    const reader = created.body.api_key as string;

    // The reader key lacks agents:write and keys:manage.
    const patch = await call(patchMe, "/api/agents/me", { method: "PATCH", key: reader, body: { name: "x" } });
    expect(patch.status).toBe(403);
    expect((await call(listKeys, "/api/agents/me/keys", { key: reader })).status).toBe(403);

    const list = await call(listKeys, "/api/agents/me/keys", { key: a.api_key });
    expect(list.body.data.map((k: { name: string }) => k.name)).toEqual(["default", "reader"]);
    expect(list.body.data[0].current).toBe(true);
    expect(JSON.stringify(list.body)).not.toContain(reader.slice(9));

    const revoke = await call(revokeKey, "/api/agents/me/keys/x", {
      method: "DELETE",
      key: a.api_key,
      params: { keyId: created.body.id },
    });
    expect(revoke.status).toBe(200);
    expect(revoke.body.revoked_at).not.toBeNull();
    expect((await call(getMe, "/api/agents/me", { key: reader })).status).toBe(401);
    expect(await eventsOf("api_key_revoked", a.id)).toHaveLength(1);

    const again = await call(revokeKey, "/api/agents/me/keys/x", {
      method: "DELETE",
      key: a.api_key,
      params: { keyId: created.body.id },
    });
    expect(again.status).toBe(409);
    const last = await call(revokeKey, "/api/agents/me/keys/x", {
      method: "DELETE",
      key: a.api_key,
      params: { keyId: a.api_key_id },
    });
    expect(last.status).toBe(409);
    const malformed = await call(revokeKey, "/api/agents/me/keys/x", {
      method: "DELETE",
      key: a.api_key,
      params: { keyId: "nope" },
    });
    expect(malformed.status).toBe(404);
  });

  it("never lets a key grant scopes it does not hold, and lets a key rotate itself", async () => {
    const a = await registerAgent();
    const manager = await call(createKey, "/api/agents/me/keys", { key: a.api_key, body: { scopes: ["keys:manage"] } });
    const escalate = await call(createKey, "/api/agents/me/keys", {
      key: manager.body.api_key,
      body: { scopes: ["services:write"] },
    });
    expect(escalate.status).toBe(403);
    const self = await call(revokeKey, "/api/agents/me/keys/x", {
      method: "DELETE",
      key: a.api_key,
      params: { keyId: a.api_key_id },
    });
    expect(self.status).toBe(200);
    expect((await call(getMe, "/api/agents/me", { key: a.api_key })).status).toBe(401);
  });
});

describe("/api/agents/{id}", () => {
  it("lets the agent or its owner update, and refuses others", async () => {
    const user = await signedInUser();
    const a = await registerAgent({}, user.headers);
    const other = await registerAgent();
    const path = `/api/agents/${a.id}`;
    const put = (opts: Parameters<typeof call>[2]) =>
      call(putAgent, path, { method: "PUT", params: { id: a.id }, ...opts });

    expect((await put({ key: other.api_key, body: { name: "hijack" } })).status).toBe(403);
    expect((await put({ body: { name: "anon" } })).status).toBe(401);
    const runtime = {
      kind: "agentcore",
      runtime_arn: "arn:aws:bedrock-agentcore:us-east-1:123456789012:runtime/bot-1",
    };
    const byOwner = await put({ headers: user.headers, body: { runtime, status: "offline" } });
    expect(byOwner.status).toBe(200);
    expect(byOwner.body).toMatchObject({ invocable: true, runnable: false, status: "offline" });
    expect(byOwner.body.runtime).toMatchObject({ kind: "agentcore", qualifier: "DEFAULT" });
    const cleared = await put({ key: a.api_key, body: { runtime: null } });
    expect(cleared.body).toMatchObject({ runtime: null, invocable: false });
    expect((await put({ key: a.api_key, body: { jobs_completed: 9 } })).status).toBe(400);

    const unknown = "0b7f9a3c-5d1e-4f6a-8b2c-9d0e1f2a3b4c";
    expect((await call(getAgent, "/x", { params: { id: unknown } })).status).toBe(404);
    expect((await call(getAgent, "/x", { params: { id: "not-a-uuid" } })).status).toBe(404);
    const ghost = await call(putAgent, "/x", { method: "PUT", key: a.api_key, params: { id: unknown }, body: {} });
    expect(ghost.status).toBe(404);
  });

  it("retires: services deactivated, keys dead, profile still readable, changes refused", async () => {
    const user = await signedInUser();
    const a = await registerAgent({}, user.headers);
    await db()
      .insert(services)
      .values([
        { agentId: a.id, name: "s1", priceCents: 500 },
        { agentId: a.id, name: "s2", priceCents: 700 },
      ]);
    const other = await registerAgent();
    const denied = await call(deleteAgent, "/x", { method: "DELETE", key: other.api_key, params: { id: a.id } });
    expect(denied.status).toBe(403);

    const res = await call(deleteAgent, "/x", { method: "DELETE", key: a.api_key, params: { id: a.id } });
    expect(res.status).toBe(200);
    expect(res.body.status).toBe("retired");
    const rows = await db().select({ active: services.active }).from(services).where(eq(services.agentId, a.id));
    expect(rows.map((r) => r.active)).toEqual([false, false]);
    expect((await call(getMe, "/api/agents/me", { key: a.api_key })).status).toBe(401);
    expect((await call(getAgent, "/x", { params: { id: a.id } })).body.status).toBe("retired");
    expect(await eventsOf("agent_retired", a.id)).toHaveLength(1);

    const put = await call(putAgent, "/x", {
      method: "PUT",
      headers: user.headers,
      params: { id: a.id },
      body: { name: "x" },
    });
    expect(put.status).toBe(409);
    const twice = await call(deleteAgent, "/x", { method: "DELETE", headers: user.headers, params: { id: a.id } });
    expect(twice.status).toBe(200);
    expect(await eventsOf("agent_retired", a.id)).toHaveLength(1);
    const listed = await call(searchAgents, "/api/agents", { query: { limit: 100 } });
    expect(listed.body.data.map((x: { id: string }) => x.id)).not.toContain(a.id);
  });
});

describe("GET /api/agents", () => {
  async function walk(query: Record<string, string | number>) {
    const ids: string[] = [];
    const items: Record<string, unknown>[] = [];
    let cursor: string | undefined;
    for (let i = 0; i < 50; i++) {
      const res = await call(searchAgents, "/api/agents", { query: { ...query, limit: 2, cursor } });
      expect(res.status).toBe(200);
      items.push(...res.body.data);
      ids.push(...res.body.data.map((x: { id: string }) => x.id));
      cursor = res.body.next_cursor ?? undefined;
      if (!cursor) return { ids, items, total: res.body.total as number };
    }
    throw new Error("cursor walk did not end");
  }

  it("filters by text, capability, category and runtime, and pages every sort exactly once in order", async () => {
    const cat = `zeta${Date.now()}`;
    const made: { id: string }[] = [];
    for (let i = 0; i < 7; i++) {
      const chats = {
        kind: "agentcore",
        runtime_arn: "arn:aws:bedrock-agentcore:us-east-1:123456789012:runtime/bot-9",
      };
      const runtime = i % 3 === 0 ? { kind: "local", artifact: "sentiment" } : i === 5 ? chats : undefined;
      made.push(
        await registerAgent({
          name: i < 3 ? `Translator ${i}` : `Summarizer ${i}`,
          category: cat,
          capabilities: i % 2 ? ["writing", "french"] : ["writing"],
          runtime,
        }),
      );
    }
    // Ties on purpose: reputation and jobs_completed repeat, so the id tie-breaker matters.
    for (const [i, a] of made.entries()) {
      await db()
        .update(agents)
        .set({
          reputation: [4.5, 3, 4.5, 1, 3, 5, 0][i]!,
          ratingCount: [4, 2, 4, 1, 2, 1, 0][i]!,
          jobsCompleted: i % 3,
        })
        .where(eq(agents.id, a.id));
    }
    await db()
      .insert(services)
      .values([
        { agentId: made[1]!.id, name: "a", priceCents: 2000 },
        { agentId: made[1]!.id, name: "b", priceCents: 1250 },
        { agentId: made[2]!.id, name: "c", priceCents: 1250 },
        { agentId: made[3]!.id, name: "d", priceCents: 100, active: false },
      ]);

    const text = await call(searchAgents, "/api/agents", { query: { q: "transl", category: cat } });
    expect(text.body.total).toBe(3);
    const caps = await call(searchAgents, `/api/agents?capability=writing&capability=French&category=${cat}`);
    expect(caps.body.total).toBe(3);
    const runnable = await call(searchAgents, "/api/agents", { query: { category: cat, runnable: "true" } });
    expect(runnable.body.total).toBe(3);
    const notRunnable = await call(searchAgents, "/api/agents", { query: { category: cat, runnable: "false" } });
    expect(notRunnable.body.total).toBe(4);
    // "Chats" on the browse page: only the agent with an AgentCore runtime is invocable.
    const chatty = await call(searchAgents, "/api/agents", { query: { category: cat, invocable: "true" } });
    expect(chatty.body.data.map((x: { id: string }) => x.id)).toEqual([made[5]!.id]);
    const silent = await call(searchAgents, "/api/agents", { query: { category: cat, invocable: "false" } });
    expect(silent.body.total).toBe(6);

    for (const sort of ["reputation", "jobs_completed", "newest", "price"]) {
      const all = await call(searchAgents, "/api/agents", { query: { category: cat, sort, limit: 100 } });
      const { ids, total } = await walk({ category: cat, sort });
      expect(total, sort).toBe(7);
      expect(new Set(ids).size, sort).toBe(7);
      expect(ids).toEqual(all.body.data.map((x: { id: string }) => x.id));
    }
    // "Best rated" is the Bayesian average (lib/market/ranking.ts): the lone 5-star rating is not first.
    const byRep = (await walk({ category: cat, sort: "reputation" })).items.map((x) =>
      bayesianScore(x.reputation as number, x.rating_count as number),
    );
    expect(byRep).toEqual([...byRep].sort((x, y) => y - x));
    expect((await walk({ category: cat, sort: "reputation" })).ids[0]).not.toBe(made[5]!.id);
    const byPrice = (await walk({ category: cat, sort: "price" })).items;
    expect(byPrice.slice(0, 2).map((x) => x.price_from)).toEqual([12.5, 12.5]);
    expect(byPrice.slice(2).every((x) => x.price_from === null)).toBe(true);
    expect(byPrice.find((x) => x.id === made[1]!.id)).toMatchObject({ price_from: 12.5, services_count: 2 });

    const badCursor = await call(searchAgents, "/api/agents", { query: { cursor: "bm9wZQ" } });
    expect(badCursor.status).toBe(400);
  });

  it("filters by price: agents selling an active service within the range", async () => {
    const category = `price${Date.now()}`;
    const [a, b, c] = [
      await registerAgent({ category }),
      await registerAgent({ category }),
      await registerAgent({ category }),
    ];
    const sell = (agentId: string, priceUsd: number, active = true) =>
      db()
        .insert(services)
        .values({ agentId, name: `s ${priceUsd}`, priceCents: priceUsd * 100, active });
    await sell(a!.id, 5);
    await sell(a!.id, 50);
    await sell(b!.id, 20);
    await sell(c!.id, 25, false); // inactive: never counts
    const ids = async (query: Record<string, string | number>) => {
      const res = await call(searchAgents, "/api/agents", { query: { category, ...query } });
      expect(res.status).toBe(200);
      return (res.body.data as { id: string }[]).map((x) => x.id).sort();
    };
    expect(await ids({ min_price: 10, max_price: 30 })).toEqual([b!.id]);
    expect(await ids({ max_price: 6 })).toEqual([a!.id]);
    expect(await ids({ min_price: 40 })).toEqual([a!.id]);
    expect(await ids({})).toEqual([a!.id, b!.id, c!.id].sort());
    const bad = await call(searchAgents, "/api/agents", { query: { min_price: 9, max_price: 3 } });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toBe("ValidationError");
  });
});
