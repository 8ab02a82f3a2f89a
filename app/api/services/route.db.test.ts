import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { agents, events, services, users } from "@/db/schema";
import { sessionHeaders } from "@/test/fixtures/market";
import { setupTestDatabase } from "@/test/db";
import { call } from "@/test/http";
import { POST as register } from "../agents/route";
import { POST as createKey } from "../agents/me/keys/route";
import { DELETE as deactivate, GET as getService, PATCH as patchService } from "./[id]/route";
import { GET as browse, POST as create } from "./route";

const holder = setupTestDatabase();
const db = () => holder.current.database.db;

let n = 0;
async function agent(headers?: Record<string, string>) {
  const res = await call(register, "/api/agents", { body: { name: `seller ${++n}` }, headers });
  expect(res.status).toBe(201);
  return res.body as { id: string; api_key: string };
}

async function signedInUser() {
  const [user] = await db()
    .insert(users)
    .values({ email: `s${++n}-${Date.now()}@example.test`, name: `user ${n}` })
    .returning();
  return { id: user!.id, headers: await sessionHeaders(user!) };
}

const body = (extra: Record<string, unknown> = {}) => ({
  name: "Code review",
  description: "I review code",
  price_usd: 25,
  required_inputs: [{ name: "repo_url", type: "string" }],
  capabilities_required: ["Coding"],
  ...extra,
});

describe("POST /api/services", () => {
  it("creates a service for the calling agent with the agent reference and an event", async () => {
    const a = await agent();
    const res = await call(create, "/api/services", { key: a.api_key, body: body() });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      agent_id: a.id,
      agent: { id: a.id, name: expect.any(String), reputation: 0 },
      price_usd: 25,
      output_type: "text",
      capabilities_required: ["coding"],
      active: true,
    });
    const logged = await db()
      .select()
      .from(events)
      .where(sql`${events.type} = 'service_created' AND ${events.subjectId} = ${res.body.id}`);
    expect(logged[0]!.agentIds).toEqual([a.id]);
    const got = await call(getService, "/x", { params: { id: res.body.id } });
    expect(got.body).toEqual(res.body);
  });

  it("enforces scopes: a jobs:read key gets 403", async () => {
    const a = await agent();
    const reader = await call(createKey, "/api/agents/me/keys", { key: a.api_key, body: { scopes: ["jobs:read"] } });
    const res = await call(create, "/api/services", { key: reader.body.api_key, body: body() });
    expect(res.status).toBe(403);
    expect(res.body.details.missing_scopes).toEqual(["services:write"]);
    expect((await call(create, "/api/services", { body: body() })).status).toBe(401);
  });

  it("lets a person publish for an owned agent only", async () => {
    const user = await signedInUser();
    const mine = await agent(user.headers);
    const other = await agent();
    expect((await call(create, "/api/services", { headers: user.headers, body: body() })).status).toBe(400);
    const forOther = await call(create, "/api/services", { headers: user.headers, body: body({ agent_id: other.id }) });
    expect(forOther.status).toBe(403);
    const ok = await call(create, "/api/services", { headers: user.headers, body: body({ agent_id: mine.id }) });
    expect(ok.status).toBe(201);
    expect(ok.body.agent_id).toBe(mine.id);
    const keyForOther = await call(create, "/api/services", { key: mine.api_key, body: body({ agent_id: other.id }) });
    expect(keyForOther.status).toBe(403);
  });

  it("refuses read-only fields and out-of-range values with 400", async () => {
    const a = await agent();
    for (const extra of [
      { active: false },
      { id: "7d6f1a52-0d7a-4c43-9a3f-8f4a8c6f0c11" },
      { agent: { id: a.id } },
      { price_usd: 0 },
      { price_usd: 0.001 },
      { price_usd: 10.555 },
      { price_usd: 1_000_000.01 },
      { price_usd: "10" },
      { name: "x".repeat(101) },
      {
        required_inputs: [
          { name: "a", type: "string" },
          { name: "a", type: "number" },
        ],
      },
      { required_inputs: Array.from({ length: 51 }, (_, i) => ({ name: `i${i}`, type: "string" })) },
      { required_inputs: [{ name: "a", type: "date" }] },
      { capabilities_required: Array.from({ length: 51 }, (_, i) => `c${i}`) },
    ]) {
      const res = await call(create, "/api/services", { key: a.api_key, body: body(extra) });
      expect(res.status, JSON.stringify(extra).slice(0, 80)).toBe(400);
    }
    const max = await call(create, "/api/services", { key: a.api_key, body: body({ price_usd: 1_000_000 }) });
    expect(max.status).toBe(201);
  });
});

describe("/api/services/{id}", () => {
  it("lets only the owner change or deactivate it; deactivated services leave the catalogue", async () => {
    const user = await signedInUser();
    const a = await agent(user.headers);
    const other = await agent();
    const s = (await call(create, "/api/services", { key: a.api_key, body: body({ name: "Unique zebra audit" }) }))
      .body;
    const patch = (opts: Parameters<typeof call>[2]) =>
      call(patchService, "/x", { method: "PATCH", params: { id: s.id }, ...opts });

    expect((await patch({ key: other.api_key, body: { price_usd: 1 } })).status).toBe(403);
    expect((await patch({ key: a.api_key, body: { agent_id: other.id } })).status).toBe(400);
    const updated = await patch({ headers: user.headers, body: { price_usd: 30.5, description: "better" } });
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({ price_usd: 30.5, description: "better" });

    const del = (key: string) => call(deactivate, "/x", { method: "DELETE", key, params: { id: s.id } });
    expect((await del(other.api_key)).status).toBe(403);
    const gone = await del(a.api_key);
    expect(gone.status).toBe(200);
    expect(gone.body.active).toBe(false);
    expect((await call(browse, "/api/services", { query: { q: "zebra" } })).body.total).toBe(0);
    expect((await call(getService, "/x", { params: { id: s.id } })).body.active).toBe(false);

    const back = await patch({ key: a.api_key, body: { active: true } });
    expect(back.body.active).toBe(true);
    expect((await call(browse, "/api/services", { query: { q: "zebra" } })).body.total).toBe(1);

    const unknown = "0b7f9a3c-5d1e-4f6a-8b2c-9d0e1f2a3b4c";
    expect((await call(getService, "/x", { params: { id: unknown } })).status).toBe(404);
    expect((await call(getService, "/x", { params: { id: "123" } })).status).toBe(404);
    const ghost = await call(patchService, "/x", {
      method: "PATCH",
      key: a.api_key,
      params: { id: unknown },
      body: {},
    });
    expect(ghost.status).toBe(404);
  });
});

describe("GET /api/services", () => {
  it("filters by text, capability, price, agent and output type, and pages each sort exactly once in order", async () => {
    const [x, y] = [await agent(), await agent()];
    await db()
      .update(agents)
      .set({ reputation: 4.2, ratingCount: 3 })
      .where(sql`${agents.id} = ${y.id}`);
    const word = `quokka${Date.now()}`;
    // One insert: every row shares created_at, so "newest" relies on the id tie-breaker.
    await db()
      .insert(services)
      .values(
        Array.from({ length: 9 }, (_, i) => ({
          agentId: i % 2 ? y.id : x.id,
          name: i < 6 ? `${word} translation ${i}` : `${word} summary ${i}`,
          priceCents: [500, 1000, 1000, 250, 1000, 9999, 500, 100, 5000][i]!,
          outputType: i % 3 ? "text" : "json",
          capabilitiesRequired: i % 2 ? ["french", "writing"] : ["writing"],
        })),
      );
    const list = (query: Record<string, string | number>) =>
      call(browse, "/api/services", { query: { q: word, ...query } });

    expect((await list({})).body.total).toBe(9);
    expect((await list({ q: `${word} transl` })).body.total).toBe(6);
    expect((await list({ q: `${word} nothingmatches` })).body.total).toBe(0);
    const caps = await call(browse, `/api/services?q=${word}&capability=writing&capability=french`);
    expect(caps.body.total).toBe(4);
    expect((await list({ min_price: 5, max_price: 10 })).body.total).toBe(5);
    expect((await list({ agent_id: y.id })).body.total).toBe(4);
    expect((await list({ output_type: "json" })).body.total).toBe(3);
    expect((await list({ min_price: 10, max_price: 5 })).status).toBe(400);
    expect((await list({ q: "a&b|!c:*(" })).status).toBe(200);

    for (const sort of ["newest", "price_asc", "price_desc", "reputation"]) {
      const all = (await list({ sort, limit: 100 })).body.data as { id: string; price_usd: number }[];
      const walked: typeof all = [];
      let cursor: string | undefined;
      do {
        const page = await list({ sort, limit: 2, ...(cursor ? { cursor } : {}) });
        expect(page.status).toBe(200);
        expect(page.body.total).toBe(9);
        walked.push(...page.body.data);
        cursor = page.body.next_cursor ?? undefined;
      } while (cursor);
      expect(
        walked.map((s) => s.id),
        sort,
      ).toEqual(all.map((s) => s.id));
      expect(new Set(walked.map((s) => s.id)).size).toBe(9);
    }
    const asc = (await list({ sort: "price_asc", limit: 100 })).body.data.map(
      (s: { price_usd: number }) => s.price_usd,
    );
    expect(asc).toEqual([1, 2.5, 5, 5, 10, 10, 10, 50, 99.99]);
    const byRep = (await list({ sort: "reputation", limit: 100 })).body.data;
    expect(byRep.slice(0, 4).every((s: { agent_id: string }) => s.agent_id === y.id)).toBe(true);
    expect((await list({ cursor: "not-a-cursor" })).status).toBe(400);
  });
});
