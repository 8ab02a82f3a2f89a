import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import pg from "pg";
import { GET as getExecution } from "@/app/api/executions/[id]/route";
import { POST as stop } from "@/app/api/executions/[id]/stop/route";
import { GET as logs } from "@/app/api/executions/[id]/logs/route";
import { GET as events } from "@/app/api/executions/[id]/events/route";
import { GET as listExecutions } from "@/app/api/agents/[id]/executions/route";
import { POST as run } from "@/app/api/agents/[id]/run/route";
import { DELETE as deleteAgent } from "@/app/api/agents/[id]/route";
import { getDb } from "@/db/client";
import { apiKeys, executions } from "@/db/schema";
import { generateApiKey } from "@/lib/auth/api-keys";
import { setupTestDatabase } from "@/test/db";
import { call } from "@/test/http";
import { closeHosts } from "./hosts/index";
import { stopAgentExecutions } from "./executions";
import { reconcileOnce } from "./reconciler";
import { runAgent, runnableAgent, setTestEnv, textStats, waitFor } from "@/test/fixtures/runtime";

const db = setupTestDatabase();

beforeAll(() =>
  setTestEnv({
    EXECUTION_MAX_CONCURRENT_PER_AGENT: "3",
    EXECUTION_MAX_INPUT_BYTES: "1000",
    EXECUTION_MAX_TIMEOUT_S: "600",
  }),
);
afterAll(() => {
  closeHosts({ kill: true });
  setTestEnv({
    EXECUTION_MAX_CONCURRENT_PER_AGENT: undefined,
    EXECUTION_MAX_INPUT_BYTES: undefined,
    EXECUTION_MAX_TIMEOUT_S: undefined,
  });
});

describe("execution limits and access", () => {
  it("50 concurrent runs of one agent never exceed its concurrency limit; the rest get 429 with Retry-After", async () => {
    const t = await runnableAgent(textStats());
    const results = await Promise.all(Array.from({ length: 50 }, () => runAgent(t, { input: {} })));
    const accepted = results.filter((r) => r.status === 202);
    const refused = results.filter((r) => r.status === 429);
    expect(accepted).toHaveLength(3);
    expect(refused).toHaveLength(47);
    expect(refused[0]!.headers.get("retry-after")).toMatch(/^\d+$/);
    expect(refused[0]!.body.error).toBe("RateLimitError");
    const live = await (await getDb()).select().from(executions).where(eq(executions.agentId, t.agent.id));
    expect(live).toHaveLength(3);

    // Retiring the agent (DELETE by its owner) stops its live executions; their history stays readable.
    const retired = await call(deleteAgent, `/api/agents/${t.agent.id}`, {
      method: "DELETE",
      headers: t.owner.headers,
      params: { id: t.agent.id },
    });
    expect(retired.status).toBe(200);
    const after = await (await getDb()).select().from(executions).where(eq(executions.agentId, t.agent.id));
    expect(after.every((e) => e.status === "stopped" && e.stoppedReason === "The agent was retired")).toBe(true);
    const id = after[0]!.id;
    expect(
      (await call(getExecution, `/api/executions/${id}`, { headers: t.owner.headers, params: { id } })).body.status,
    ).toBe("stopped");
    expect(await stopAgentExecutions(t.agent.id)).toBe(0);
    const again = await call(run, `/api/agents/${t.agent.id}/run`, {
      headers: t.owner.headers,
      params: { id: t.agent.id },
      body: { input: {} },
    });
    expect(again.status).toBe(409);
  });

  it("refuses bad input: unknown fields, timeout too long, input too large, no runnable runtime", async () => {
    const t = await runnableAgent(textStats());
    const post = (body: unknown, id = t.agent.id) =>
      call(run, `/api/agents/${id}/run`, { key: t.key, params: { id }, body });
    expect((await post({ input: {}, command: "rm -rf /" })).status).toBe(400);
    expect((await post({ input: "text" })).status).toBe(400);
    expect((await post({ input: {}, timeout_s: 0 })).status).toBe(400);
    const long = await post({ input: {}, timeout_s: 601 });
    expect(long.status).toBe(400);
    expect(long.body.details.fields.timeout_s).toBeDefined();
    const big = await post({ input: { text: "x".repeat(2000) } });
    expect(big.status).toBe(413);
    expect(big.body.details.limit_bytes).toBe(1000);

    const none = await runnableAgent(null);
    expect(
      (
        await call(run, `/api/agents/${none.agent.id}/run`, {
          key: none.key,
          params: { id: none.agent.id },
          body: { input: {} },
        })
      ).status,
    ).toBe(422);
    const ac = await runnableAgent({
      kind: "agentcore",
      runtime_arn: "arn:aws:bedrock-agentcore:us-east-1:123456789012:runtime/demo-abc",
      qualifier: "DEFAULT",
      transport: "ws",
    });
    const refused = await call(run, `/api/agents/${ac.agent.id}/run`, {
      key: ac.key,
      params: { id: ac.agent.id },
      body: { input: {} },
    });
    expect(refused.status).toBe(422);
    expect(refused.body.message).toContain("AgentCore");
    expect((await (await getDb()).select().from(executions).where(eq(executions.agentId, t.agent.id))).length).toBe(0);
  });

  it("foreign callers get 404 everywhere; a key without the scope gets 403; the owner and the starter see it", async () => {
    const t = await runnableAgent(textStats());
    const id = t.agent.id;
    expect(
      (await call(run, `/api/agents/${id}/run`, { key: t.strangerKey, params: { id }, body: { input: {} } })).status,
    ).toBe(404);

    const started = await call(run, `/api/agents/${id}/run`, {
      headers: t.owner.headers,
      params: { id },
      body: { input: {} },
    });
    expect(started.status).toBe(202);
    const eid = started.body.execution_id as string;
    const as = (key: string) => ({ key, params: { id: eid } });
    expect((await call(getExecution, `/api/executions/${eid}`, as(t.strangerKey))).status).toBe(404);
    expect((await call(stop, `/api/executions/${eid}/stop`, { ...as(t.strangerKey), method: "POST" })).status).toBe(
      404,
    );
    expect((await call(logs, `/api/executions/${eid}/logs`, as(t.strangerKey))).status).toBe(404);
    expect((await call(events, `/api/executions/${eid}/events`, as(t.strangerKey))).status).toBe(404);
    const strangersList = await call(listExecutions, `/api/agents/${id}/executions`, {
      key: t.strangerKey,
      params: { id },
    });
    expect(strangersList.body).toMatchObject({ data: [], total: 0 });

    // The agent itself (owner side) and the person who started it both see it.
    expect((await call(getExecution, `/api/executions/${eid}`, as(t.key))).status).toBe(200);
    expect(
      (await call(getExecution, `/api/executions/${eid}`, { headers: t.owner.headers, params: { id: eid } })).status,
    ).toBe(200);

    const readOnly = generateApiKey();
    await (
      await getDb()
    )
      .insert(apiKeys)
      .values({ agentId: id, keyHash: readOnly.hash, suffix: readOnly.suffix, scopes: ["executions:read"] });
    expect((await call(stop, `/api/executions/${eid}/stop`, { ...as(readOnly.key), method: "POST" })).status).toBe(403);
    expect((await call(getExecution, `/api/executions/${eid}`, as(readOnly.key))).status).toBe(200);
    expect((await call(stop, `/api/executions/${eid}/stop`, { ...as(t.key), method: "POST" })).status).toBe(200);
    expect(
      (await call(getExecution, "/api/executions/not-a-uuid", { key: t.key, params: { id: "not-a-uuid" } })).status,
    ).toBe(404);
  });

  it("lists newest first with a stable cursor", async () => {
    const t = await runnableAgent(textStats({ EXIT_AFTER_INPUT: "1" }));
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const r = await runAgent(t, { input: { text: `run ${i}` } });
      ids.push(r.body.execution_id);
    }
    await waitFor(async () => {
      const rows = await (await getDb()).select().from(executions).where(eq(executions.agentId, t.agent.id));
      return rows.every((r) => r.status === "completed") ? true : undefined;
    }, "batch runs to complete");
    const first = await call(listExecutions, `/api/agents/${t.agent.id}/executions`, {
      key: t.key,
      params: { id: t.agent.id },
      query: { limit: 2 },
    });
    expect(first.body.total).toBe(3);
    const second = await call(listExecutions, `/api/agents/${t.agent.id}/executions`, {
      key: t.key,
      params: { id: t.agent.id },
      query: { limit: 2, cursor: first.body.next_cursor },
    });
    expect([...first.body.data, ...second.body.data].map((e: any) => e.execution_id)).toEqual([...ids].reverse());
    expect(second.body.next_cursor).toBeNull();

    // A forged cursor is the client's mistake (400 in the one error format), never a database error.
    const forge = (v: unknown[]) => Buffer.from(JSON.stringify(v)).toString("base64url");
    for (const cursor of ["nonsense", forge(["2025-01-01 00:00:00+00", ids[0]]), forge([1, "not-a-uuid"])]) {
      const res = await call(listExecutions, `/api/agents/${t.agent.id}/executions`, {
        key: t.key,
        params: { id: t.agent.id },
        query: { cursor },
      });
      expect(res.status, cursor).toBe(400);
      expect(res.body.error).toBe("ValidationError");
    }
    for (const cursor of [forge(["x"]), forge([-1]), forge([1.5])]) {
      const res = await call(logs, `/api/executions/${ids[0]}/logs`, {
        key: t.key,
        params: { id: ids[0]! },
        query: { cursor },
      });
      expect(res.status, cursor).toBe(400);
    }
  });

  it("only one reconciler sweep runs at a time, also across processes sharing a Postgres", async () => {
    const [a, b] = await Promise.all([reconcileOnce(), reconcileOnce()]);
    expect([a.skipped, b.skipped].sort()).toEqual([false, true]);
    if (db.current.url) {
      // Another app process holds the sweep lock: this one skips its sweep.
      const other = new pg.Client({ connectionString: db.current.url });
      await other.connect();
      try {
        await other.query("BEGIN");
        await other.query("SELECT pg_advisory_xact_lock(7311920442)");
        expect((await reconcileOnce()).skipped).toBe(true);
        await other.query("COMMIT");
        expect((await reconcileOnce()).skipped).toBe(false);
      } finally {
        await other.end();
      }
    }
  });
});
