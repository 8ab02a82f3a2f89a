import { and, count, eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import * as jobsRoute from "@/app/api/jobs/route";
import { idempotencyKeys, jobs, ledgerTransactions } from "@/db/schema";
import { setupTestDatabase } from "@/test/db";
import { balanceOf, fund } from "@/test/fixtures/ledger";
import { createAgent, createService, type AgentFixture } from "@/test/fixtures/market";
import { call, type CallResult } from "@/test/http";
import { withApi } from "./handler";
import { canonicalJson, sweepIdempotencyKeys } from "./idempotency";
import type { RouteContract } from "./contract";

/** Idempotency-Key on every state-changing route, in withApi (lib/api/idempotency.ts, docs/idempotency.md). */

const holder = setupTestDatabase();
const db = () => holder.current.database.db;

async function parties(priceUsd = 10) {
  const worker = await createAgent(db());
  const client = await createAgent(db());
  const service = await createService(db(), worker.agent.id, { priceUsd });
  return { worker, client, serviceId: service.id };
}

function hire(as: AgentFixture, body: Record<string, unknown>, key?: string, raw?: string): Promise<CallResult> {
  return call(jobsRoute.POST, "/api/jobs", {
    key: as.key,
    body,
    ...(raw ? { rawBody: raw } : {}),
    headers: key === undefined ? {} : { "idempotency-key": key },
  });
}

async function jobsOf(client: AgentFixture): Promise<number> {
  const [row] = await db().select({ n: count() }).from(jobs).where(eq(jobs.clientAgentId, client.agent.id));
  return row!.n;
}

async function hiresOf(client: AgentFixture): Promise<number> {
  const [row] = await db()
    .select({ n: count() })
    .from(ledgerTransactions)
    .innerJoin(jobs, eq(jobs.id, ledgerTransactions.jobId))
    .where(and(eq(jobs.clientAgentId, client.agent.id), eq(ledgerTransactions.kind, "hire")));
  return row!.n;
}

describe("Idempotency-Key", () => {
  it("replays the first answer (status, body, Idempotent-Replayed) and hires once: one job, one escrow", async () => {
    const { client, serviceId } = await parties(10);
    await fund(client, 5_000);
    const body = { service_id: serviceId, title: "once", input_data: { a: 1, b: [1, 2] } };
    const first = await hire(client, body, "hire-1");
    expect(first.status).toBe(201);
    expect(first.headers.get("idempotent-replayed")).toBeNull();
    // The same request written differently (key order, spacing) is the same request.
    const again = await hire(
      client,
      {},
      "hire-1",
      `{ "input_data": {"b":[1,2],"a":1}, "title":"once", "service_id":"${serviceId}" }`,
    );
    expect(again.status).toBe(201);
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    expect(again.body).toEqual(first.body);
    expect([await jobsOf(client), await hiresOf(client), await balanceOf(client)]).toEqual([1, 1, 4_000]);
    // Without a key, or with another one, it is a new request.
    expect((await hire(client, body, "hire-2")).status).toBe(201);
    expect((await hire(client, body)).status).toBe(201);
    expect(await jobsOf(client)).toBe(3);
  });

  it("answers 422 in the error format when the key was used for a different request, and changes nothing", async () => {
    const { client, serviceId } = await parties(10);
    await fund(client, 5_000);
    expect((await hire(client, { service_id: serviceId, title: "first" }, "k")).status).toBe(201);
    const other = await hire(client, { service_id: serviceId, title: "second" }, "k");
    expect(other.status).toBe(422);
    expect(other.body).toMatchObject({
      error: "UnprocessableError",
      details: { code: "idempotency_key_reused", original_request: { method: "POST", path: "/api/jobs" } },
    });
    expect([await jobsOf(client), await balanceOf(client)]).toEqual([1, 4_000]);
  });

  it("runs concurrent duplicates once: one job and one escrow; the others replay it or get 409 in use", async () => {
    const { client, serviceId } = await parties(10);
    await fund(client, 50_000);
    const body = { service_id: serviceId, title: "racing" };
    const results = await Promise.all(Array.from({ length: 20 }, () => hire(client, body, "race")));
    const created = results.filter((r) => r.status === 201);
    const busy = results.filter((r) => r.status === 409);
    expect(created.length + busy.length).toBe(20);
    expect(created.length).toBeGreaterThanOrEqual(1);
    expect(created.filter((r) => r.headers.get("idempotent-replayed") !== "true")).toHaveLength(1);
    for (const r of created) expect(r.body).toEqual(created[0]!.body);
    for (const r of busy) {
      expect(r.body).toMatchObject({ error: "ConflictError", details: { code: "idempotency_key_in_use" } });
    }
    expect([await jobsOf(client), await hiresOf(client), await balanceOf(client)]).toEqual([1, 1, 49_000]);
  });

  it("keeps keys per caller: two callers with the same key each hire", async () => {
    const { serviceId } = await parties(10);
    const [a, b] = [await createAgent(db()), await createAgent(db())];
    await fund(a, 5_000);
    await fund(b, 5_000);
    const body = { service_id: serviceId, title: "shared key" };
    const [ra, rb] = [await hire(a, body, "same"), await hire(b, body, "same")];
    expect([ra.status, rb.status]).toEqual([201, 201]);
    expect(rb.headers.get("idempotent-replayed")).toBeNull();
    expect(ra.body.id).not.toBe(rb.body.id);
    expect([await jobsOf(a), await jobsOf(b)]).toEqual([1, 1]);
  });

  it("replays a 4xx answer too (a 402 stays a 402 after the wallet is funded; a new key hires)", async () => {
    const { client, serviceId } = await parties(10);
    const body = { service_id: serviceId, title: "poor" };
    const refused = await hire(client, body, "poor-1");
    expect(refused.status).toBe(402);
    await fund(client, 5_000);
    const replayed = await hire(client, body, "poor-1");
    expect([replayed.status, replayed.headers.get("idempotent-replayed")]).toEqual([402, "true"]);
    expect(replayed.body).toEqual(refused.body);
    expect((await hire(client, body, "poor-2")).status).toBe(201);
    expect(await jobsOf(client)).toBe(1);
  });

  it("keeps nothing for a request refused before it ran (invalid body): the key stays free", async () => {
    const { client, serviceId } = await parties(10);
    await fund(client, 5_000);
    expect((await hire(client, { service_id: serviceId }, "fix-me")).status).toBe(400);
    expect((await hire(client, { service_id: serviceId, title: "fixed" }, "fix-me")).status).toBe(201);
  });

  it("does not keep a 5xx: the retry runs again", async () => {
    const { client } = await parties();
    let runs = 0;
    const contract: RouteContract = {
      method: "POST",
      path: "/api/test/flaky",
      summary: "test",
      tags: ["test"],
      auth: "required",
      status: 201,
      response: z.object({ runs: z.number() }),
    };
    const flaky = withApi(contract, async () => {
      runs += 1;
      if (runs === 1) throw new Error("boom");
      return { runs };
    });
    const send = () =>
      call(flaky, "/api/test/flaky", { key: client.key, method: "POST", headers: { "idempotency-key": "f" } });
    expect((await send()).status).toBe(500);
    expect(await send()).toMatchObject({ status: 201, body: { runs: 2 } });
    const third = await send();
    expect([third.status, third.body, third.headers.get("idempotent-replayed"), runs]).toEqual([
      201,
      { runs: 2 },
      "true",
      2,
    ]);
  });

  it("refuses a malformed key with 400 (empty, too long, not printable ASCII), before anything runs", async () => {
    const { client, serviceId } = await parties(10);
    await fund(client, 5_000);
    for (const key of ["", "x".repeat(256), "tab\there"]) {
      const res = await hire(client, { service_id: serviceId, title: "bad key" }, key);
      expect(res.status).toBe(400);
      expect(res.body.error).toBe("ValidationError");
    }
    expect((await hire(client, { service_id: serviceId, title: "ok" }, "x".repeat(255))).status).toBe(201);
    expect(await jobsOf(client)).toBe(1);
  });

  it("forgets a key after 24 h: an expired key is claimed afresh, and the sweep deletes expired keys", async () => {
    const { client, serviceId } = await parties(10);
    await fund(client, 5_000);
    expect((await hire(client, { service_id: serviceId, title: "old" }, "expiring")).status).toBe(201);
    const mine = and(eq(idempotencyKeys.caller, `agent:${client.agent.id}`), eq(idempotencyKeys.key, "expiring"));
    const [row] = await db().select().from(idempotencyKeys).where(mine);
    expect(row!.expiresAt.getTime() - Date.now()).toBeGreaterThan(23 * 3600_000);
    await db()
      .update(idempotencyKeys)
      .set({ expiresAt: sql`now() - interval '1 second'` })
      .where(mine);
    expect((await hire(client, { service_id: serviceId, title: "new" }, "expiring")).status).toBe(201);
    expect(await jobsOf(client)).toBe(2);

    await db()
      .update(idempotencyKeys)
      .set({ expiresAt: sql`now() - interval '1 second'` })
      .where(mine);
    expect(await sweepIdempotencyKeys()).toBeGreaterThanOrEqual(1);
    expect(await db().select().from(idempotencyKeys).where(mine)).toHaveLength(0);
  });

  it("takes over a stale claim (a request whose process died) for the same request, not for another", async () => {
    const { client, serviceId } = await parties(10);
    await fund(client, 5_000);
    const body = { service_id: serviceId, title: "orphan" };
    expect((await hire(client, body, "orphan")).status).toBe(201);
    const mine = and(eq(idempotencyKeys.caller, `agent:${client.agent.id}`), eq(idempotencyKeys.key, "orphan"));
    // As if the first request had died before keeping its answer, just now: still in use.
    await db().update(idempotencyKeys).set({ responseStatus: null, responseBody: null }).where(mine);
    expect((await hire(client, body, "orphan")).status).toBe(409);
    await db()
      .update(idempotencyKeys)
      .set({ lockedAt: sql`now() - interval '1 hour'` })
      .where(mine);
    expect((await hire(client, { ...body, title: "other" }, "orphan")).status).toBe(422);
    expect((await hire(client, body, "orphan")).status).toBe(201);
  });

  it("canonicalJson sorts keys at every depth and drops undefined", () => {
    expect(canonicalJson({ b: 1, a: { d: [2, { f: 1, e: 0 }], c: undefined } })).toBe(
      '{"a":{"d":[2,{"e":0,"f":1}]},"b":1}',
    );
  });
});

describe("Idempotency-Key in the OpenAPI document", () => {
  it("is a header parameter of the operations that change something, not of reads or public routes", async () => {
    const { openApiDocument } = await import("./openapi");
    const paths = openApiDocument().paths as Record<
      string,
      Record<string, { parameters?: { in: string; name: string }[]; responses: Record<string, unknown> }>
    >;
    const named = (op?: { parameters?: { in: string; name: string }[] }) =>
      (op?.parameters ?? []).some((p) => p.in === "header" && p.name === "Idempotency-Key");
    expect(named(paths["/api/jobs"]?.post)).toBe(true);
    expect(Object.keys(paths["/api/jobs"]!.post!.responses)).toEqual(expect.arrayContaining(["409", "422"]));
    expect(named(paths["/api/jobs"]?.get)).toBe(false);
    expect(named(paths["/api/auth/signup"]?.post)).toBe(false);
  });
});
