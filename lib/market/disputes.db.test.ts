import { and, eq, inArray, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as listRoute from "@/app/api/disputes/route";
import * as getRoute from "@/app/api/disputes/[id]/route";
import * as resolveRoute from "@/app/api/disputes/[id]/resolve/route";
import * as disputeRoute from "@/app/api/jobs/[id]/dispute/route";
import { events, ledgerAccounts, ledgerEntries, ledgerTransactions, messages } from "@/db/schema";
import { disputeSchema } from "@/lib/api/contracts/disputes";
import { pageSchema } from "@/lib/api/pagination";
import { reloadEnv } from "@/lib/env";
import { setupTestDatabase } from "@/test/db";
import { balanceOf, fund, platformBalance } from "@/test/fixtures/ledger";
import { api } from "@/test/fixtures/job-routes";
import { asActor, createAgent, createService, createUser, type Actor, type UserFixture } from "@/test/fixtures/market";
import { call } from "@/test/http";
import { autoAcceptDeliveredJobs } from "./job-auto-accept";

/** Disputes (docs/jobs.md): opened by a party of a delivered job, resolved once by an admin, money exact. */

const holder = setupTestDatabase();
const db = () => holder.current.database.db;
const before = process.env.OPERATOR_EMAILS;
let admin: UserFixture;

beforeAll(async () => {
  admin = await createUser(db());
  process.env.OPERATOR_EMAILS = admin.user.email;
  reloadEnv();
});
afterAll(() => {
  if (before === undefined) delete process.env.OPERATOR_EMAILS;
  else process.env.OPERATOR_EMAILS = before;
  reloadEnv();
});

const dispute = (as: Actor, id: string, body: Record<string, unknown> = { reason: "not what I asked for" }) =>
  call(disputeRoute.POST, `/api/jobs/${id}/dispute`, { ...as, params: { id }, body });
const resolve = (as: Actor, id: string, body: Record<string, unknown>) =>
  call(resolveRoute.POST, `/api/disputes/${id}/resolve`, { ...as, params: { id }, body });
const getDispute = (as: Actor, id: string) => call(getRoute.GET, `/api/disputes/${id}`, { ...as, params: { id } });
const listDisputes = (as: Actor, query: Record<string, string | number> = {}) =>
  call(listRoute.GET, "/api/disputes", { ...as, query });

/** A job hired at $20 by a funded client agent and delivered by its worker. */
async function delivered(priceUsd = 20) {
  const worker = await createAgent(db());
  const client = await createAgent(db());
  const service = await createService(db(), worker.agent.id, { priceUsd });
  await fund(client, 10_000);
  const id = (await api.hire(asActor(client), { service_id: service.id, title: "disputed work" })).body.id as string;
  await api.act(asActor(worker), "start", id);
  await api.act(asActor(worker), "deliver", id, { content: "the work" });
  return { worker, client, id };
}

async function opened(priceUsd = 20) {
  const job = await delivered(priceUsd);
  const res = await dispute(asActor(job.client), job.id);
  expect(res.status).toBe(201);
  return { ...job, disputeId: disputeSchema.parse(res.body).id };
}

async function escrowOf(jobId: string) {
  const [row] = await db().select().from(ledgerAccounts).where(eq(ledgerAccounts.jobId, jobId));
  return row!.balance;
}

/** The job's settling ledger transactions (not the hire), each with the sum of its entries. */
async function settlements(jobId: string) {
  return db()
    .select({
      id: ledgerTransactions.id,
      kind: ledgerTransactions.kind,
      sum: sql<number>`sum(${ledgerEntries.amount})::int`,
    })
    .from(ledgerTransactions)
    .innerJoin(ledgerEntries, eq(ledgerEntries.transactionId, ledgerTransactions.id))
    .where(and(eq(ledgerTransactions.jobId, jobId), inArray(ledgerTransactions.kind, ["refund", "release", "split"])))
    .groupBy(ledgerTransactions.id);
}

describe("opening a dispute", () => {
  it("by the client: the job is disputed, escrow held, both parties told, auto-accept skips it", async () => {
    const { worker, client, id } = await delivered();
    const res = await dispute(asActor(client), id, { reason: "half of it is missing" });
    expect(res.status).toBe(201);
    const d = disputeSchema.parse(res.body);
    expect(d).toMatchObject({ job_id: id, opened_by: "client", status: "open", reason: "half of it is missing" });
    expect((await api.get(asActor(client), id)).body).toMatchObject({
      status: "disputed",
      dispute: { id: d.id, status: "open" },
      auto_accept_at: null,
      payment: { status: "held" },
    });
    expect(await escrowOf(id)).toBe(2000);
    const told = await db().select().from(messages).where(eq(messages.jobId, id));
    const about = told.filter((m) => m.subject.startsWith("Dispute opened"));
    expect(about.map((m) => m.recipientAgentId).sort()).toEqual([client.agent.id, worker.agent.id].sort());
    const [ev] = await db()
      .select()
      .from(events)
      .where(and(eq(events.subjectId, id), eq(events.type, "job_disputed")));
    expect(ev!.data).toMatchObject({ dispute_id: d.id, opened_by: "client", from: "delivered", to: "disputed" });

    // Long after the auto-accept deadline the sweep still leaves it alone.
    expect(await autoAcceptDeliveredJobs(new Date(Date.now() + 1000 * 3600_000))).not.toContain(id);
    expect((await api.get(asActor(client), id)).body.status).toBe("disputed");
    expect(await escrowOf(id)).toBe(2000);
  });

  it("by the worker", async () => {
    const { worker, id } = await delivered();
    const res = await dispute(asActor(worker), id);
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ opened_by: "worker", status: "open" });
    // Once: a second dispute (by either party) is a 409.
    expect((await dispute(asActor(worker), id)).status).toBe(409);
  });

  it("only from delivered (409), only by a party (404), with a reason (400)", async () => {
    const worker = await createAgent(db());
    const client = await createAgent(db());
    const service = await createService(db(), worker.agent.id, { priceUsd: 5 });
    await fund(client, 10_000);
    const id = (await api.hire(asActor(client), { service_id: service.id, title: "early" })).body.id as string;
    expect((await dispute(asActor(client), id)).status).toBe(409); // pending
    await api.act(asActor(worker), "start", id);
    expect((await dispute(asActor(worker), id)).body).toMatchObject({
      error: "ConflictError",
      details: { status: "in_progress" },
    });
    await api.act(asActor(worker), "deliver", id, { content: "x" });
    await api.act(asActor(client), "request-revision", id, { reason: "again" });
    expect((await dispute(asActor(client), id)).status).toBe(409); // revision_requested
    await api.act(asActor(worker), "deliver", id, { content: "y" });
    await api.act(asActor(client), "complete", id, { rating: 4 });
    expect((await dispute(asActor(client), id)).status).toBe(409); // completed

    const other = await delivered();
    const stranger = await createAgent(db());
    expect((await dispute(asActor(stranger), other.id)).status).toBe(404);
    expect((await dispute(asActor(admin), other.id)).status).toBe(404); // an admin is no party
    expect((await dispute(asActor(other.client), other.id, { reason: " " })).status).toBe(400);
  });
});

describe("resolving a dispute", () => {
  it("refund: all of the escrow back to the client, the job cancelled, one balanced transaction", async () => {
    const { worker, client, id, disputeId } = await opened();
    const platform = await platformBalance();
    const res = await resolve(asActor(admin), disputeId, { resolution: "refund", note: "not delivered" });
    expect(res.status).toBe(200);
    expect(disputeSchema.parse(res.body)).toMatchObject({
      status: "resolved",
      resolution: "refund",
      client_cents: 2000,
      worker_cents: 0,
      fee_cents: 0,
      note: "not delivered",
    });
    expect([await balanceOf(client), await balanceOf(worker), await escrowOf(id)]).toEqual([10_000, 0, 0]);
    expect(await platformBalance()).toBe(platform);
    expect((await api.get(asActor(client), id)).body).toMatchObject({
      status: "cancelled",
      payment: { status: "refunded" },
    });
    const s = await settlements(id);
    expect(s).toEqual([{ id: res.body.settle_transaction_id, kind: "refund", sum: 0 }]);
    const told = await db().select().from(messages).where(eq(messages.jobId, id));
    expect(told.filter((m) => m.subject.startsWith("Dispute resolved"))).toHaveLength(2);
  });

  it("release: the worker is paid less the fee, the job completed", async () => {
    const { worker, client, id, disputeId } = await opened();
    const platform = await platformBalance();
    const res = await resolve(asActor(admin), disputeId, { resolution: "release" });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ client_cents: 0, worker_cents: 1900, fee_cents: 100 });
    expect([await balanceOf(client), await balanceOf(worker), await escrowOf(id)]).toEqual([8_000, 1_900, 0]);
    expect(await platformBalance()).toBe(platform + 100);
    expect((await api.get(asActor(worker), id)).body).toMatchObject({
      status: "completed",
      payment: { status: "released" },
    });
    expect(await settlements(id)).toEqual([{ id: res.body.settle_transaction_id, kind: "release", sum: 0 }]);
  });

  it("split: client_cents back, the rest to the worker less the fee on the rest", async () => {
    const { worker, client, id, disputeId } = await opened();
    const platform = await platformBalance();
    const res = await resolve(asActor(admin), disputeId, { resolution: "split", client_cents: 800 });
    expect(res.status).toBe(200);
    // 1200 to the worker's side: fee 5% = 60.
    expect(res.body).toMatchObject({ resolution: "split", client_cents: 800, worker_cents: 1140, fee_cents: 60 });
    expect([await balanceOf(client), await balanceOf(worker), await escrowOf(id)]).toEqual([8_800, 1_140, 0]);
    expect(await platformBalance()).toBe(platform + 60);
    expect((await api.get(asActor(client), id)).body).toMatchObject({
      status: "completed",
      dispute: { id: disputeId, status: "resolved" },
      payment: { status: "split", fee_cents: 60 },
      receipt: { amount_cents: 2000, fee_cents: 60, worker_cents: 1140 },
    });
    expect(await settlements(id)).toEqual([{ id: res.body.settle_transaction_id, kind: "split", sum: 0 }]);
  });

  it("refuses a split outside 0 < client_cents < price (422) and client_cents without a split", async () => {
    const { client, id, disputeId } = await opened();
    for (const client_cents of [0, 2000, 2500, -1]) {
      const res = await resolve(asActor(admin), disputeId, { resolution: "split", client_cents });
      expect(res.status).toBe(422);
    }
    expect((await resolve(asActor(admin), disputeId, { resolution: "split" })).status).toBe(422);
    expect((await resolve(asActor(admin), disputeId, { resolution: "refund", client_cents: 5 })).status).toBe(422);
    expect((await api.get(asActor(client), id)).body.status).toBe("disputed");
    expect(await escrowOf(id)).toBe(2000);
  });

  it("racing resolutions: exactly one wins, the job settles once", async () => {
    const { client, worker, id, disputeId } = await opened();
    const results = await Promise.all([
      resolve(asActor(admin), disputeId, { resolution: "refund" }),
      resolve(asActor(admin), disputeId, { resolution: "release" }),
      resolve(asActor(admin), disputeId, { resolution: "split", client_cents: 1000 }),
      resolve(asActor(admin), disputeId, { resolution: "refund" }),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 409, 409, 409]);
    const s = await settlements(id);
    expect(s).toHaveLength(1);
    expect(s[0]!.sum).toBe(0);
    expect(await escrowOf(id)).toBe(0);
    // Whatever won, the money is all accounted for: client + worker + fee = what the client started with.
    const fee = (await getDispute(asActor(client), disputeId)).body.fee_cents as number;
    expect((await balanceOf(client)) + (await balanceOf(worker)) + fee).toBe(10_000);
  });

  it("only an admin resolves or lists (403); the parties and an admin can read it, nobody else (404)", async () => {
    const { worker, client, disputeId } = await opened();
    const person = await createUser(db());
    expect((await resolve(asActor(client), disputeId, { resolution: "refund" })).status).toBe(403);
    expect((await resolve(asActor(worker), disputeId, { resolution: "release" })).status).toBe(403);
    expect((await resolve(asActor(person), disputeId, { resolution: "release" })).status).toBe(403);
    expect((await listDisputes(asActor(client))).status).toBe(403);
    expect((await listDisputes(asActor(person))).status).toBe(403);
    for (const who of [client, worker, admin]) expect((await getDispute(asActor(who), disputeId)).status).toBe(200);
    expect((await getDispute(asActor(person), disputeId)).status).toBe(404);
    expect((await resolve(asActor(admin), crypto.randomUUID(), { resolution: "refund" })).status).toBe(404);
  });

  it("lists open disputes oldest first, paged, and drops resolved ones", async () => {
    const a = await opened();
    const b = await opened();
    const page = pageSchema(disputeSchema).parse((await listDisputes(asActor(admin), { limit: 100 })).body);
    const ids = page.data.map((d) => d.id);
    expect(ids).toContain(a.disputeId);
    expect(ids.indexOf(a.disputeId)).toBeLessThan(ids.indexOf(b.disputeId));
    expect(page.data.every((d) => d.status === "open")).toBe(true);

    const first = pageSchema(disputeSchema).parse((await listDisputes(asActor(admin), { limit: 1 })).body);
    expect(first.data).toHaveLength(1);
    const second = await listDisputes(asActor(admin), { limit: 1, cursor: first.next_cursor! });
    expect(second.status).toBe(200);
    expect(second.body.data[0].id).not.toBe(first.data[0]!.id);

    await resolve(asActor(admin), a.disputeId, { resolution: "release" });
    const after = pageSchema(disputeSchema).parse((await listDisputes(asActor(admin), { limit: 100 })).body);
    expect(after.data.map((d) => d.id)).not.toContain(a.disputeId);
    expect(after.data.map((d) => d.id)).toContain(b.disputeId);
  });
});
