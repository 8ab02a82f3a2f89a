import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { GET as agentExecution } from "@/app/api/agents/[id]/executions/[executionId]/route";
import { GET as seedExecution } from "@/app/api/executions/[id]/route";
import { executeAsyncSchema, executeSyncSchema } from "@/lib/api/contracts/execute";
import { executionSchema } from "@/lib/api/contracts/executions";
import { flushMetrics, closeRecorder } from "@/lib/metrics/recorder";
import { getDb } from "@/db/client";
import { callRollups } from "@/db/schema";
import { eq } from "drizzle-orm";
import { setupTestDatabase } from "@/test/db";
import { deployFakeAgent, execute, type FakeAgent } from "@/test/fixtures/execute";
import { setTestEnv, waitFor } from "@/test/fixtures/runtime";
import { call } from "@/test/http";
import { ExecutionWorker } from "./worker";

setupTestDatabase();

const agents: FakeAgent[] = [];
let worker: ExecutionWorker | undefined;
async function fake(opts?: Parameters<typeof deployFakeAgent>[0]) {
  const a = await deployFakeAgent(opts);
  agents.push(a);
  return a;
}
const startWorker = async () =>
  (worker = await new ExecutionWorker({ pollingIntervalSeconds: 0.5, supervise: false }).start());

beforeAll(() => closeRecorder());
afterEach(async () => {
  await worker?.stop();
  worker = undefined;
  setTestEnv({ EXECUTE_SYNC_WAIT_S: undefined });
});
afterAll(async () => {
  for (const a of agents) await a.close();
});

async function record(a: FakeAgent, id: string) {
  const res = await call(agentExecution, `/api/agents/${a.agentId}/executions/${id}`, {
    key: a.key,
    params: { id: a.agentId, executionId: id },
  });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return executionSchema.parse(res.body);
}
const ended = (a: FakeAgent, id: string) =>
  waitFor(async () => {
    const r = await record(a, id);
    return ["completed", "failed", "timeout"].includes(r.status) ? r : undefined;
  }, `execution ${id} to end`);

describe("POST /api/agents/{id}/execute (sync)", () => {
  it("runs through the router, answers the seed's sync shape, and the record reads the same on both paths", async () => {
    const a = await fake();
    const res = await execute(a, { input_data: { parameters: { text: "hi" }, context: { session_id: "s1" } } });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const body = executeSyncSchema.parse(res.body);
    expect(body.status).toBe("completed");
    expect(body.result.output).toEqual({ echo: { text: "hi" } });
    expect(body.result.metadata).toMatchObject({ memory_used: 12, cpu_time: 3, tokens_used: 7 });
    expect(body.performance.queue_time).toBeGreaterThanOrEqual(0);
    expect(body.logs.map((l) => l.message)).toContain("done");

    const rec = await record(a, body.execution_id);
    expect(rec).toMatchObject({
      status: "completed",
      host: "deployed",
      environment: "prod",
      version: "1.0.0",
      progress: 100,
    });
    expect(rec.attempts).toHaveLength(1);
    const seed = await call(seedExecution, `/api/executions/${body.execution_id}`, {
      key: a.key,
      params: { id: body.execution_id },
    });
    expect(executionSchema.parse(seed.body).result).toEqual(rec.result);
    // The call counts in the version's metrics.
    await flushMetrics();
    const rows = await (await getDb()).select().from(callRollups).where(eq(callRollups.agentId, a.agentId));
    expect(rows.reduce((n, r) => n + r.calls, 0)).toBeGreaterThanOrEqual(1);
  });

  it("answers 202 with the async shape past the sync cap, and the execution still ends", async () => {
    setTestEnv({ EXECUTE_SYNC_WAIT_S: "0.2" });
    const a = await fake();
    const res = await execute(a, { input_data: { parameters: { mode: "slow", ms: 800 } } });
    expect(res.status, JSON.stringify(res.body)).toBe(202);
    const body = executeAsyncSchema.parse(res.body);
    expect(body.status_url).toContain(`/api/agents/${a.agentId}/executions/${body.execution_id}`);
    expect((await ended(a, body.execution_id)).status).toBe("completed");
  });

  it("does not retry the input's fault (the agent's 4xx) and retries transient failures, each attempt on the record", async () => {
    const a = await fake();
    const bad = await execute(a, { input_data: { parameters: { mode: "bad" } } });
    expect(bad.body).toMatchObject({
      status: "failed",
      result: { error: { code: "InputError", message: "text is required" } },
    });
    expect((await record(a, bad.body.execution_id)).attempts).toHaveLength(1);

    await startWorker();
    const retry = { max_retries: 3, retry_delay: 0.05, backoff_multiplier: 2 };
    const flaky = await execute(a, {
      input_data: { parameters: { mode: "flaky", failures: 2 } },
      execution_options: { retry_config: retry },
    });
    expect(flaky.status, JSON.stringify(flaky.body)).toBe(200);
    expect(flaky.body.status).toBe("completed");
    const rec = await record(a, flaky.body.execution_id);
    expect(rec.attempts.map((t) => t.outcome)).toEqual(["retry", "retry", "completed"]);

    const hopeless = await execute(a, {
      input_data: { parameters: { mode: "flaky", failures: 99 } },
      execution_options: { retry_config: { ...retry, max_retries: 1 } },
    });
    expect(hopeless.body).toMatchObject({ status: "failed", result: { error: { code: "AgentUnavailable" } } });
    expect((await record(a, hopeless.body.execution_id)).attempts.map((t) => t.outcome)).toEqual(["retry", "failed"]);
  });

  it("ends as timeout, not stopped, past execution_options.timeout", async () => {
    const a = await fake();
    const res = await execute(a, {
      input_data: { parameters: { mode: "slow", ms: 5000 } },
      execution_options: { timeout: 1 },
    });
    expect(res.body).toMatchObject({ status: "timeout", result: { error: { code: "Timeout" } } });
  });
});

describe("execution_id as the idempotency key", () => {
  it("replays the same body, refuses another body with 422, and runs concurrent duplicates once", async () => {
    const a = await fake();
    const id = crypto.randomUUID();
    const body = { execution_id: id, input_data: { parameters: { n: 1 } } };
    const [one, two] = await Promise.all([execute(a, body), execute(a, body)]);
    expect([one.status, two.status]).toEqual([200, 200]);
    expect(one.body.execution_id).toBe(id);
    expect(two.body.result).toEqual(one.body.result);
    const again = await execute(a, body);
    expect(again.body.execution_id).toBe(id);
    expect(a.calls.filter((c) => c === id)).toHaveLength(1);
    const other = await execute(a, { ...body, input_data: { parameters: { n: 2 } } });
    expect(other.status).toBe(422);
  });
});

describe("the queue", () => {
  it("async: 202 queued, run by a worker, priority first under a full deployment", async () => {
    const a = await fake({ concurrency: 1 });
    const blocker = await execute(a, {
      input_data: { parameters: { mode: "block" } },
      execution_options: { async: true },
    });
    expect(blocker.status).toBe(202);
    expect(executeAsyncSchema.parse(blocker.body).status).toBe("queued");
    await startWorker();
    await waitFor(() => (a.calls.includes(blocker.body.execution_id) ? true : undefined), "the blocker to run");
    const ids: Record<string, string> = {};
    for (const priority of ["low", "normal", "high"]) {
      const r = await execute(a, {
        input_data: { parameters: { p: priority } },
        execution_options: { async: true, priority },
      });
      ids[priority] = r.body.execution_id;
    }
    for (const id of Object.values(ids)) expect((await record(a, id)).status).toBe("queued");
    a.release();
    for (const id of Object.values(ids)) await ended(a, id);
    const order = a.calls.slice(1);
    expect(order).toEqual([ids.high, ids.normal, ids.low]);
    expect((await record(a, ids.low!)).performance.queue_time).toBeGreaterThan(0);
  });

  it("survives a worker restart with running and queued executions: nothing lost, nothing run twice", async () => {
    const a = await fake({ concurrency: 1 });
    await startWorker();
    const running = await execute(a, {
      input_data: { parameters: { mode: "block" } },
      execution_options: { async: true },
    });
    await waitFor(() => (a.calls.includes(running.body.execution_id) ? true : undefined), "the first to run");
    const queued = [];
    for (let i = 0; i < 3; i++) {
      queued.push(
        (await execute(a, { input_data: { parameters: { i } }, execution_options: { async: true } })).body.execution_id,
      );
    }
    // The worker stops gracefully: it lets the running attempt finish (released now) and takes nothing new.
    const stopping = worker!.stop();
    a.release();
    await stopping;
    worker = undefined;
    await startWorker();
    for (const id of [running.body.execution_id, ...queued]) expect((await ended(a, id)).status).toBe("completed");
    for (const id of [running.body.execution_id, ...queued]) expect(a.calls.filter((c) => c === id)).toHaveLength(1);
  });
});
