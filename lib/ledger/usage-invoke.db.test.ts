import { eq, sql } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { POST } from "@/app/api/agents/invoke/route";
import { agentSessions, agents, ledgerAccounts, ledgerHolds, ledgerTransactions } from "@/db/schema";
import type { Principal } from "@/lib/auth/principal";
import { SCOPES } from "@/lib/auth/scopes";
import { inTransaction } from "@/lib/db";
import { reloadEnv } from "@/lib/env";
import { holdCharge } from "@/lib/ledger/usage";
import { setAgentCoreClient } from "@/lib/invoke/client";
import { setupTestDatabase } from "@/test/db";
import { FAULTY_ARN, setupAgentCore, TEXT_STATS_ARN } from "@/test/fixtures/agentcore";
import { balanceOf, fund, platformBalance } from "@/test/fixtures/ledger";
import { createAgent, createUser, type AgentFixture } from "@/test/fixtures/market";
import { call } from "@/test/http";

/** Pay per call through POST /api/agents/invoke: held before the agent hears anything, charged on a full answer. */

const db = setupTestDatabase();
const agentcore = setupAgentCore();
const conn = () => db.current.database.db;

let seller: AgentFixture;
let faulty: AgentFixture;

beforeAll(async () => {
  process.env.AGENTCORE_ALLOWED_RUNTIME_ARNS = `${TEXT_STATS_ARN},${FAULTY_ARN}`;
  reloadEnv();
  await agentcore.warm(TEXT_STATS_ARN, FAULTY_ARN);
  setAgentCoreClient(agentcore.client({ idleTimeoutMs: 300 }));
  const owner = await createUser(conn());
  seller = await createAgent(conn(), {
    ownerUserId: owner.user.id,
    runtime: { kind: "agentcore", runtime_arn: TEXT_STATS_ARN, transport: "http", qualifier: "DEFAULT" },
  });
  faulty = await createAgent(conn(), {
    ownerUserId: owner.user.id,
    runtime: { kind: "agentcore", runtime_arn: FAULTY_ARN, transport: "ws", qualifier: "DEFAULT" },
  });
  await conn().update(agents).set({ pricePerCall: 20 }).where(eq(agents.id, seller.agent.id));
  await conn().update(agents).set({ pricePerCall: 20 }).where(eq(agents.id, faulty.agent.id));
});
afterAll(() => setAgentCoreClient(undefined));
afterEach(() => agentcore.server.clearFaults());

const invoke = (key: string, body: Record<string, unknown>) => call(POST, "/api/agents/invoke", { body, key });

async function accountOf(who: AgentFixture) {
  const [row] = await conn().select().from(ledgerAccounts).where(eq(ledgerAccounts.agentId, who.agent.id));
  return row;
}

describe("paying per call", () => {
  it("charges a stranger when the agent answers in full, with the agent paid less the fee", async () => {
    const caller = await createAgent(conn());
    await fund(caller, 50);
    const before = { seller: await balanceOf(seller), platform: await platformBalance() };
    const res = await invoke(caller.key, { agentId: seller.agent.id, prompt: "three words here", maxCharge: 20 });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(await balanceOf(caller)).toBe(30);
    expect((await balanceOf(seller)) - before.seller).toBe(19);
    expect((await platformBalance()) - before.platform).toBe(1);
    expect((await accountOf(caller))?.held).toBe(0);
    const charges = await conn().select().from(ledgerTransactions).where(eq(ledgerTransactions.kind, "charge"));
    expect(charges.some((t) => t.memo === `Call: ${seller.agent.name}`)).toBe(true);
  });

  it("the agent itself invokes free; maxCharge under the price or a short balance is 402 before the agent is called", async () => {
    const own = await invoke(seller.key, { agentId: seller.agent.id, prompt: "free for me" });
    expect(own.status).toBe(200);
    const caller = await createAgent(conn());
    await fund(caller, 15);
    const capped = await invoke(caller.key, { agentId: seller.agent.id, prompt: "hi", maxCharge: 19 });
    expect(capped.status).toBe(402);
    expect(capped.body.details).toMatchObject({ required_cents: 20, max_charge: 19 });
    const short = await invoke(caller.key, { agentId: seller.agent.id, prompt: "hi" });
    expect(short.status).toBe(402);
    expect(short.body.details).toEqual({ required_cents: 20, available_cents: 15, shortfall_cents: 5 });
    const sessions = await conn().select().from(agentSessions).where(eq(agentSessions.callerAgentId, caller.agent.id));
    expect(sessions).toHaveLength(0);
    expect(await balanceOf(caller)).toBe(15);
    const holds = await conn()
      .select()
      .from(ledgerHolds)
      .where(eq(ledgerHolds.accountId, (await accountOf(caller))!.id));
    expect(holds).toHaveLength(0);
  });

  it("a failed or incomplete invocation is not charged: its hold is released", async () => {
    const caller = await createAgent(conn());
    await fund(caller, 40);
    agentcore.server.setFault({ kind: "unavailable", count: Infinity, arn: FAULTY_ARN });
    const failed = await invoke(caller.key, { agentId: faulty.agent.id, prompt: "hello" });
    expect(failed.status).toBe(503);
    agentcore.server.clearFaults();
    agentcore.server.setFault({ kind: "drop", afterChunks: 1, arn: FAULTY_ARN });
    const partial = await invoke(caller.key, { agentId: faulty.agent.id, prompt: "one\n\ntwo\n\nthree" });
    expect(partial.status).toBe(200);
    expect(partial.body.incomplete).toBe(true);
    expect(await balanceOf(caller)).toBe(40);
    const acc = await accountOf(caller);
    expect(acc?.held).toBe(0);
    const holds = await conn().select().from(ledgerHolds).where(eq(ledgerHolds.accountId, acc!.id));
    expect(holds.map((h) => h.status)).toEqual(["released", "released"]);
  });

  it("a call's hold left by a process that died is released by the caller's next paid call", async () => {
    const caller = await createAgent(conn());
    await fund(caller, 20);
    const principal: Principal = { kind: "agent", agentId: caller.agent.id, keyId: "", scopes: SCOPES };
    const stale = "invocation:left-by-a-crash";
    await inTransaction((tx) => holdCharge(tx, { principal, agentId: seller.agent.id, amount: 20, reference: stale }));
    // Recent, it still holds the whole balance.
    expect((await invoke(caller.key, { agentId: seller.agent.id, prompt: "blocked" })).status).toBe(402);
    await conn()
      .update(ledgerHolds)
      .set({ createdAt: sql`now() - interval '1 hour'` })
      .where(eq(ledgerHolds.reference, stale));
    const res = await invoke(caller.key, { agentId: seller.agent.id, prompt: "after the crash" });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const [old] = await conn().select().from(ledgerHolds).where(eq(ledgerHolds.reference, stale));
    expect(old).toMatchObject({ status: "released", transactionId: null });
    expect(await accountOf(caller)).toMatchObject({ balance: 0, held: 0 });
  });

  it("concurrent paid calls on one balance never overdraw it", async () => {
    const caller = await createAgent(conn());
    await fund(caller, 50); // covers 2 calls of 20
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) => invoke(caller.key, { agentId: seller.agent.id, prompt: `call ${i}` })),
    );
    expect(results.filter((r) => r.status === 200)).toHaveLength(2);
    expect(results.filter((r) => r.status === 402)).toHaveLength(6);
    expect(await accountOf(caller)).toMatchObject({ balance: 10, held: 0 });
  });
});
