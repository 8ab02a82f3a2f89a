import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { PUT as putAgent, GET as getAgent } from "@/app/api/agents/[id]/route";
import { getDb } from "@/db/client";
import { events, executions, ledgerAccounts, ledgerTransactions } from "@/db/schema";
import { agentSchema } from "@/lib/api/contracts/agents";
import { executeAsyncSchema, executeSyncSchema } from "@/lib/api/contracts/execute";
import { setupTestDatabase } from "@/test/db";
import { setupFakeAgentsAndWorker, type FakeAgent } from "@/test/fixtures/execute";
import { balanceOf, fund, platformBalance, runHoldOf } from "@/test/fixtures/ledger";
import { api } from "@/test/fixtures/job-routes";
import { asActor, createAgent, createService, type AgentFixture } from "@/test/fixtures/market";
import { waitFor } from "@/test/fixtures/runtime";
import { call } from "@/test/http";
import { POST as executeRoute } from "@/app/api/agents/[id]/execute/route";

/** Pay per run through POST /api/agents/{id}/execute: held at the start, charged on success, released otherwise. */

setupTestDatabase();

const fakes = setupFakeAgentsAndWorker();

async function pricedAgent(pricePerRun: number | null) {
  const a = await fakes.deploy();
  const res = await call(putAgent, `/api/agents/${a.agentId}`, {
    method: "PUT",
    key: a.key,
    params: { id: a.agentId },
    body: { price_per_run: pricePerRun, price_per_call: 7 },
  });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return a;
}

const run = (a: FakeAgent, key: string, body: Record<string, unknown>) =>
  call(executeRoute, `/api/agents/${a.agentId}/execute`, { key, params: { id: a.agentId }, body });

const agentWallet = (a: FakeAgent) => balanceOf({ kind: "agent", agentId: a.agentId });

async function account(who: AgentFixture) {
  const [row] = await (await getDb()).select().from(ledgerAccounts).where(eq(ledgerAccounts.agentId, who.agent.id));
  return row;
}

describe("prices on the agent", () => {
  it("the owner sets price_per_run and price_per_call; the agent resource shows them; a bad price is a 400", async () => {
    const a = await pricedAgent(40);
    const read = await call(getAgent, `/api/agents/${a.agentId}`, { params: { id: a.agentId } });
    expect(agentSchema.parse(read.body)).toMatchObject({ price_per_run: 40, price_per_call: 7 });
    for (const bad of [-1, 0, 2.5, "40"]) {
      const res = await call(putAgent, `/api/agents/${a.agentId}`, {
        method: "PUT",
        key: a.key,
        params: { id: a.agentId },
        body: { price_per_run: bad },
      });
      expect(res.status).toBe(400);
    }
    const stranger = await createAgent(await getDb());
    const res = await call(putAgent, `/api/agents/${a.agentId}`, {
      method: "PUT",
      key: stranger.key,
      params: { id: a.agentId },
      body: { price_per_run: 1 },
    });
    expect([403, 404]).toContain(res.status);
    const cleared = await call(putAgent, `/api/agents/${a.agentId}`, {
      method: "PUT",
      key: a.key,
      params: { id: a.agentId },
      body: { price_per_run: null },
    });
    expect(agentSchema.parse(cleared.body).price_per_run).toBeNull();
  });
});

describe("paying per run", () => {
  it("charges a stranger on success: caller -> agent less the fee -> platform, one charge transaction with events", async () => {
    const a = await pricedAgent(40);
    const caller = await createAgent(await getDb());
    await fund(caller, 100);
    const platformBefore = await platformBalance();
    const res = await run(a, caller.key, { input_data: { parameters: { text: "hi" } } });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const body = executeSyncSchema.parse(res.body);
    expect(body.status).toBe("completed");
    expect(await balanceOf(caller)).toBe(60);
    expect(await agentWallet(a)).toBe(38);
    expect((await platformBalance()) - platformBefore).toBe(2);
    expect((await account(caller))?.held).toBe(0);
    const hold = await runHoldOf(body.execution_id);
    expect(hold).toMatchObject({ status: "charged", amount: 40 });
    const [txn] = await (
      await getDb()
    )
      .select()
      .from(ledgerTransactions)
      .where(eq(ledgerTransactions.id, hold!.transactionId!));
    expect(txn).toMatchObject({ kind: "charge" });
    const walletEvents = await (
      await getDb()
    )
      .select()
      .from(events)
      .where(and(eq(events.type, "wallet_transaction"), eq(events.subjectType, "wallet")));
    const ofCharge = walletEvents.filter((e) => (e.data as { transaction_id?: string }).transaction_id === txn!.id);
    expect(ofCharge).toHaveLength(2);
  });

  it("the owner's own agent runs free", async () => {
    const a = await pricedAgent(40);
    const res = await run(a, a.key, { input_data: { parameters: {} } });
    expect(res.status).toBe(200);
    expect(await agentWallet(a)).toBe(0);
    expect(await runHoldOf(executeSyncSchema.parse(res.body).execution_id)).toBeUndefined();
  });

  it("a failed run is not charged: the hold is released", async () => {
    const a = await pricedAgent(40);
    const caller = await createAgent(await getDb());
    await fund(caller, 100);
    const res = await run(a, caller.key, { input_data: { parameters: { mode: "bad" } } });
    const body = executeSyncSchema.parse(res.body);
    expect(body.status).toBe("failed");
    expect(await balanceOf(caller)).toBe(100);
    expect((await account(caller))?.held).toBe(0);
    expect(await runHoldOf(body.execution_id)).toMatchObject({ status: "released", transactionId: null });
    expect(await agentWallet(a)).toBe(0);
  });

  it("a timed-out run is not charged", async () => {
    const a = await pricedAgent(40);
    const caller = await createAgent(await getDb());
    await fund(caller, 100);
    const res = await run(a, caller.key, {
      input_data: { parameters: { mode: "slow", ms: 3000 } },
      execution_options: { timeout: 1, retry_config: { max_retries: 0, retry_delay: 1, backoff_multiplier: 1 } },
    });
    const body = executeSyncSchema.parse(res.body);
    expect(body.status).toBe("timeout");
    expect(await balanceOf(caller)).toBe(100);
    expect(await runHoldOf(body.execution_id)).toMatchObject({ status: "released" });
  });

  it("max_charge below the price, or a balance that cannot cover it: 402 up front and nothing runs", async () => {
    const a = await pricedAgent(40);
    const caller = await createAgent(await getDb());
    await fund(caller, 30);
    const capped = await run(a, caller.key, { max_charge: 39, input_data: { parameters: {} } });
    expect(capped.status).toBe(402);
    expect(capped.body).toMatchObject({
      error: "PaymentRequiredError",
      details: { required_cents: 40, max_charge: 39 },
    });
    const short = await run(a, caller.key, { max_charge: 40, input_data: { parameters: {} } });
    expect(short.status).toBe(402);
    expect(short.body.details).toEqual({ required_cents: 40, available_cents: 30, shortfall_cents: 10 });
    const made = await (await getDb()).select().from(executions).where(eq(executions.agentId, a.agentId));
    expect(made).toHaveLength(0);
    expect(a.calls).toHaveLength(0);
    expect(await balanceOf(caller)).toBe(30);
  });

  it("many concurrent paid runs on one balance: only what it covers is accepted, and it is never overdrawn", async () => {
    const a = await pricedAgent(25);
    const caller = await createAgent(await getDb());
    await fund(caller, 80); // covers 3 runs of 25
    const results = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        run(a, caller.key, { input_data: { parameters: { i } }, execution_options: { async: true } }),
      ),
    );
    const accepted = results.filter((r) => r.status === 202);
    const refused = results.filter((r) => r.status === 402);
    expect([accepted.length, refused.length]).toEqual([3, 9]);
    for (const r of refused) expect(r.body.details).toMatchObject({ required_cents: 25, available_cents: 5 });
    expect(await account(caller)).toMatchObject({ balance: 80, held: 75 });
    // A hire cannot take what the runs in flight hold either: only 5 cents are spendable.
    const seller = await createAgent(await getDb());
    const service = await createService(await getDb(), seller.agent.id, { priceUsd: 0.1 });
    const hire = await api.hire(asActor(caller), { service_id: service.id, title: "too much while running" });
    expect(hire.status).toBe(402);
    expect(hire.body.details).toEqual({ required_cents: 10, available_cents: 5, shortfall_cents: 5 });

    await fakes.startWorker();
    const ids = accepted.map((r) => executeAsyncSchema.parse(r.body).execution_id);
    await waitFor(async () => {
      const holds = await Promise.all(ids.map(runHoldOf));
      return holds.every((h) => h?.status === "charged") || undefined;
    }, "the paid runs to be charged");
    expect(await account(caller)).toMatchObject({ balance: 5, held: 0 });
    expect(await agentWallet(a)).toBe(3 * (25 - 1));
  });
});
