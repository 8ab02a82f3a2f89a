import { and, count, eq, inArray } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { events, jobs, ledgerAccounts, ledgerEntries, ledgerTransactions } from "@/db/schema";
import { inTransaction } from "@/lib/db";
import { failJobsOfRetiredWorker } from "@/lib/market/jobs";
import { setupTestDatabase } from "@/test/db";
import { balanceOf, fund, platformBalance } from "@/test/fixtures/ledger";
import { api } from "@/test/fixtures/job-routes";
import { asActor, createAgent, createService, createUser } from "@/test/fixtures/market";

/** Money follows the job: escrow at hire, refund on cancel and failure, release less the fee on completion. */

const holder = setupTestDatabase();
const db = () => holder.current.database.db;

async function escrowOf(jobId: string): Promise<number | undefined> {
  const [row] = await db().select().from(ledgerAccounts).where(eq(ledgerAccounts.jobId, jobId));
  return row?.balance;
}

async function parties(priceUsd = 10) {
  const worker = await createAgent(db());
  const client = await createAgent(db());
  const service = await createService(db(), worker.agent.id, { priceUsd });
  return { worker, client, serviceId: service.id };
}

describe("escrow", () => {
  it("50 concurrent hires against a balance that covers 10: exactly 10 succeed, the rest 402 with the shortfall", async () => {
    const { client, serviceId } = await parties(10);
    await fund(client, 10 * 1000);
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) => api.hire(asActor(client), { service_id: serviceId, title: `race ${i}` })),
    );
    const won = results.filter((r) => r.status === 201);
    const refused = results.filter((r) => r.status === 402);
    expect([won.length, refused.length]).toEqual([10, 40]);
    for (const r of refused) {
      expect(r.body).toMatchObject({
        error: "PaymentRequiredError",
        details: { required_cents: 1000, available_cents: 0, shortfall_cents: 1000 },
      });
    }
    expect(await balanceOf(client)).toBe(0);
    // Only the winners exist, each holding exactly its price.
    const made = await db().select().from(jobs).where(eq(jobs.clientAgentId, client.agent.id));
    expect(made).toHaveLength(10);
    for (const j of made) expect(await escrowOf(j.id)).toBe(1000);
  });

  it("says how much is missing when the balance covers part of the price", async () => {
    const { client, serviceId } = await parties(25);
    await fund(client, 1_999);
    const res = await api.hire(asActor(client), { service_id: serviceId, title: "too dear" });
    expect(res.status).toBe(402);
    expect(res.body.details).toEqual({ required_cents: 2500, available_cents: 1999, shortfall_cents: 501 });
    expect(await balanceOf(client)).toBe(1_999);
  });

  it("refunds a cancelled job once; a second cancel changes no balance", async () => {
    const { client, serviceId } = await parties(10);
    await fund(client, 5_000);
    const id = (await api.hire(asActor(client), { service_id: serviceId, title: "cancel me" })).body.id;
    expect(await balanceOf(client)).toBe(4_000);
    const cancelled = await api.act(asActor(client), "cancel", id);
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.payment).toMatchObject({ status: "refunded", amount_cents: 1000 });
    expect(cancelled.body.receipt).toBeNull();
    expect([await balanceOf(client), await escrowOf(id)]).toEqual([5_000, 0]);
    expect((await api.act(asActor(client), "cancel", id)).status).toBe(409);
    expect(await balanceOf(client)).toBe(5_000);
  });

  it("pays the worker the price less PLATFORM_FEE_BPS (5%) and the platform the fee, exactly once", async () => {
    const { worker, client, serviceId } = await parties(19.99);
    await fund(client, 5_000);
    const platformBefore = await platformBalance();
    const id = (await api.hire(asActor(client), { service_id: serviceId, title: "pay me" })).body.id;
    await api.act(asActor(worker), "start", id);
    await api.act(asActor(worker), "deliver", id, { content: "done" });
    const done = await Promise.all(
      Array.from({ length: 5 }, () => api.act(asActor(client), "complete", id, { rating: 4 })),
    );
    expect(done.map((r) => r.status).sort()).toEqual([200, 409, 409, 409, 409]);
    // 5% of 1999 is 99.95: the platform takes 99, the worker keeps the fraction.
    expect(await balanceOf(worker)).toBe(1_900);
    expect((await platformBalance()) - platformBefore).toBe(99);
    expect(await escrowOf(id)).toBe(0);
    const settles = await db()
      .select({ n: count() })
      .from(ledgerTransactions)
      .where(and(eq(ledgerTransactions.jobId, id), inArray(ledgerTransactions.kind, ["release", "refund"])));
    expect(settles[0]!.n).toBe(1);
  });

  it("refunds the clients of a retired worker's failed jobs and of their cancelled children", async () => {
    const { worker, client, serviceId } = await parties(10);
    const sub = await createAgent(db());
    const subService = await createService(db(), sub.agent.id, { priceUsd: 3 });
    await fund(client, 5_000);
    await fund(worker, 1_000);
    const working = (await api.hire(asActor(client), { service_id: serviceId, title: "working" })).body.id;
    await api.act(asActor(worker), "start", working);
    const child = await api.hire(asActor(worker), { service_id: subService.id, title: "kid", parent_job_id: working });
    expect(child.status).toBe(201);
    expect([await balanceOf(client), await balanceOf(worker)]).toEqual([4_000, 700]);
    await inTransaction(async (tx) => {
      await failJobsOfRetiredWorker(tx, worker.agent.id);
    });
    expect([await balanceOf(client), await balanceOf(worker)]).toEqual([5_000, 1_000]);
    expect([await escrowOf(working), await escrowOf(child.body.id)]).toEqual([0, 0]);
  });
});

describe("sub-jobs", () => {
  it("the worker pays from its own wallet, within the budget it set on the parent", async () => {
    const { worker, client, serviceId } = await parties(100);
    const sub = await createAgent(db());
    const subService = await createService(db(), sub.agent.id, { priceUsd: 30 });
    await fund(client, 10_000);
    const parent = (await api.hire(asActor(client), { service_id: serviceId, title: "parent" })).body.id;
    await api.act(asActor(worker), "start", parent);
    const hireChild = () =>
      api.hire(asActor(worker), { service_id: subService.id, title: "child", parent_job_id: parent });

    // The worker has no money of its own yet: the parent's escrow is not its to spend.
    expect((await hireChild()).status).toBe(402);
    await fund(worker, 10_000);

    expect((await api.get(asActor(worker), parent)).body.budget_cents).toBeNull();
    const setBudget = (as: Parameters<typeof asActor>[0], cents: number | null) =>
      api.budget(asActor(as), parent, { budget_cents: cents });
    expect((await setBudget(client, 5_000)).status).toBe(403);
    const set = await setBudget(worker, 5_000);
    expect([set.status, set.body.budget_cents]).toEqual([200, 5_000]);

    // Five concurrent sub-hires of $30 under a $50 budget: one fits.
    const tries = await Promise.all(Array.from({ length: 5 }, hireChild));
    expect(tries.map((r) => r.status).sort()).toEqual([201, 422, 422, 422, 422]);
    expect(tries.find((r) => r.status === 422)!.body.details).toMatchObject({
      reason: "budget_exceeded",
      budget_cents: 5_000,
      committed_cents: 3_000,
      price_cents: 3_000,
    });
    expect(await balanceOf(worker)).toBe(7_000);
    const kid = tries.find((r) => r.status === 201)!.body.id;
    // A cancelled sub-job frees its share of the budget and refunds the worker.
    expect((await api.act(asActor(worker), "cancel", kid)).status).toBe(200);
    expect(await balanceOf(worker)).toBe(10_000);
    expect((await hireChild()).status).toBe(201);
    expect((await setBudget(worker, null)).body.budget_cents).toBeNull();
    expect((await hireChild()).status).toBe(201);
  });
});

describe("wallet events", () => {
  it("records one wallet_transaction per wallet touched, private to its holder", async () => {
    const worker = await createAgent(db());
    const person = await createUser(db());
    const service = await createService(db(), worker.agent.id, { priceUsd: 2 });
    await fund(person, 1_000);
    const id = (await api.hire(asActor(person), { service_id: service.id, title: "evented" })).body.id;
    const rows = await db()
      .select()
      .from(events)
      .where(and(eq(events.type, "wallet_transaction"), eq(events.subjectType, "wallet")));
    const hire = rows.find((e) => e.data.job_id === id)!;
    expect(hire).toMatchObject({ isPublic: false, agentIds: [], userIds: [person.user.id] });
    expect(hire.data).toMatchObject({ kind: "hire", amount: -200, balance: 800 });
    const entries = await db()
      .select()
      .from(ledgerEntries)
      .where(eq(ledgerEntries.transactionId, hire.data.transaction_id as string));
    expect(entries.reduce((s, e) => s + e.amount, 0)).toBe(0);
  });
});
