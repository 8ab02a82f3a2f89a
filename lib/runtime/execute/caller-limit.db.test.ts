import { randomUUID } from "node:crypto";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { POST as executeRoute } from "@/app/api/agents/[id]/execute/route";
import { POST as stopRoute } from "@/app/api/executions/[id]/stop/route";
import { getDb } from "@/db/client";
import { setupTestDatabase } from "@/test/db";
import { deployFakeAgent, type FakeAgent } from "@/test/fixtures/execute";
import { createUser } from "@/test/fixtures/market";
import { setTestEnv } from "@/test/fixtures/runtime";
import { call } from "@/test/http";

setupTestDatabase();

const agents: FakeAgent[] = [];
afterEach(() => setTestEnv({ EXECUTE_MAX_PENDING_PER_CALLER: undefined }));
afterAll(async () => {
  for (const a of agents) await a.close();
});

// No worker runs here: async executions stay queued, unfinished, for as long as the test needs.
function executeAsync(a: FakeAgent, headers: Record<string, string>, executionId: string = randomUUID()) {
  return call(executeRoute, `/api/agents/${a.agentId}/execute`, {
    headers,
    params: { id: a.agentId },
    body: { execution_id: executionId, input_data: { parameters: {} }, execution_options: { async: true } },
  });
}

describe("the per-caller limit on execute", () => {
  it("accepts at most EXECUTE_MAX_PENDING_PER_CALLER unfinished executions, then 429 with Retry-After", async () => {
    setTestEnv({ EXECUTE_MAX_PENDING_PER_CALLER: "2" });
    const a = await deployFakeAgent();
    agents.push(a);
    const me = await createUser(await getDb());
    const first = await executeAsync(a, me.headers);
    expect(first.status, JSON.stringify(first.body)).toBe(202);
    expect((await executeAsync(a, me.headers)).status).toBe(202);
    const third = await executeAsync(a, me.headers);
    expect(third.status).toBe(429);
    expect(third.headers.get("retry-after")).toBe("5");
    expect(third.body.details).toMatchObject({ limit: 2, unfinished: 2 });
    // A replay of an accepted execution is not a new one; another caller has a limit of its own.
    const replay = await executeAsync(a, me.headers, first.body.execution_id as string);
    expect(replay.status).toBe(202);
    expect(replay.body.execution_id).toBe(first.body.execution_id);
    const other = await createUser(await getDb());
    expect((await executeAsync(a, other.headers)).status).toBe(202);
    // One ended frees a slot.
    const id = first.body.execution_id as string;
    expect((await call(stopRoute, `/api/executions/${id}/stop`, { headers: me.headers, params: { id } })).status).toBe(
      200,
    );
    expect((await executeAsync(a, me.headers)).status).toBe(202);
  });

  it("holds under a burst: of concurrent requests past the limit, exactly the limit's worth are accepted", async () => {
    setTestEnv({ EXECUTE_MAX_PENDING_PER_CALLER: "3" });
    const a = await deployFakeAgent();
    agents.push(a);
    const me = await createUser(await getDb());
    const answers = await Promise.all(Array.from({ length: 8 }, () => executeAsync(a, me.headers)));
    const statuses = answers.map((r) => r.status).sort();
    expect(statuses).toEqual([202, 202, 202, 429, 429, 429, 429, 429]);
  });
});
