import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET as getExecution } from "@/app/api/executions/[id]/route";
import { POST as stop } from "@/app/api/executions/[id]/stop/route";
import { POST as run } from "@/app/api/agents/[id]/run/route";
import { getDb } from "@/db/client";
import { agents } from "@/db/schema";
import { closeHosts } from "@/lib/runtime/hosts/index";
import { setupTestDatabase } from "@/test/db";
import { balanceOf, fund, runHoldOf } from "@/test/fixtures/ledger";
import { runnableAgent, setTestEnv, textStats, waitFor } from "@/test/fixtures/runtime";
import { call } from "@/test/http";

/** Pay per run through the older run route (local host): anyone may run a priced agent, and pays on success. */

setupTestDatabase();

beforeAll(() => setTestEnv({ EXECUTION_STOP_GRACE_MS: "1000", EXECUTION_MAX_CONCURRENT_PER_AGENT: "5" }));
afterAll(() => closeHosts({ kill: true }));

const runAs = (agentId: string, key: string, body: Record<string, unknown>) =>
  call(run, `/api/agents/${agentId}/run`, { key, params: { id: agentId }, body });

const until = (id: string, key: string, status: string) =>
  waitFor(async () => {
    const r = (await call(getExecution, `/api/executions/${id}`, { key, params: { id } })).body;
    return r.status === status ? r : undefined;
  }, `execution ${id} to be ${status}`);

async function priced(price: number | null) {
  const t = await runnableAgent(textStats({ EXIT_AFTER_INVOCATIONS: "1" }));
  await (await getDb()).update(agents).set({ pricePerRun: price }).where(eq(agents.id, t.agent.id));
  return t;
}

describe("the run route with a price", () => {
  it("an unpriced agent stays its owner's to run (404 to anyone else)", async () => {
    const t = await priced(null);
    expect((await runAs(t.agent.id, t.strangerKey, { input: {} })).status).toBe(404);
  });

  it("a stranger runs a priced agent and pays when it completes; a stopped run is released", async () => {
    const t = await priced(30);
    const stranger = { kind: "agent" as const, agentId: t.strangerId };
    await fund(stranger, 70);
    expect((await runAs(t.agent.id, t.strangerKey, { input: {}, max_charge: 29 })).status).toBe(402);

    const res = await runAs(t.agent.id, t.strangerKey, { input: {}, timeout_s: 60, max_charge: 30 });
    expect(res.status, JSON.stringify(res.body)).toBe(202);
    const id = res.body.execution_id as string;
    expect(await runHoldOf(id)).toMatchObject({ status: "held", amount: 30 });
    const running = await until(id, t.strangerKey, "running");
    await fetch(`${running.endpoint}/invocations`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ input: { text: "one two" } }),
    });
    await until(id, t.strangerKey, "completed");
    expect(await runHoldOf(id)).toMatchObject({ status: "charged" });
    expect(await balanceOf(stranger)).toBe(40);
    expect(await balanceOf({ kind: "agent", agentId: t.agent.id })).toBe(29);

    const second = await runAs(t.agent.id, t.strangerKey, { input: {}, timeout_s: 60 });
    expect(second.status).toBe(202);
    const other = second.body.execution_id as string;
    // 40 left, 30 held: a third run cannot be held as well.
    const third = await runAs(t.agent.id, t.strangerKey, { input: {} });
    expect(third.status).toBe(402);
    expect(third.body.details).toEqual({ required_cents: 30, available_cents: 10, shortfall_cents: 20 });
    const stopped = await call(stop, `/api/executions/${other}/stop`, { key: t.key, params: { id: other } });
    expect(stopped.status, JSON.stringify(stopped.body)).toBeLessThan(300);
    expect(await runHoldOf(other)).toMatchObject({ status: "released" });
    expect(await balanceOf(stranger)).toBe(40);
  });
});
