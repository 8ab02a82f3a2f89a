import { and, eq } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { callRollups } from "@/db/schema";
import { flushMetrics, closeRecorder } from "@/lib/metrics/recorder";
import { setupTestDatabase } from "@/test/db";
import { createVersion, settled, setupTestController, startDeployment } from "@/test/fixtures/deployments";
import { executionRow, runAgent, runnableAgent, textStats, waitFor } from "@/test/fixtures/runtime";
import { closeHosts } from "../hosts/index";

/*
 * POST /api/agents/{id}/run of an agent that has a live deployment goes through the deployment router, not the
 * agent's raw runtime: the agent below has a local runtime (the text-stats artifact) and a deployment of the
 * `steady` test agent, and its run is answered by the deployed version (which names itself), recorded as a
 * `deployed` execution of that version, and counted in that version's metrics. Without a deployment, the same kind
 * of agent still runs its runtime.
 */

setupTestDatabase();
setupTestController();
afterAll(async () => {
  closeRecorder();
  await closeHosts({ kill: true });
});

describe("POST /api/agents/{id}/run of a deployed agent", () => {
  it("runs through the deployment router: the live version answers and the call counts in its metrics", async () => {
    const t = await runnableAgent(textStats());
    const v = await createVersion(t.agent.id, "steady");
    const deploymentId = await startDeployment({ agentId: t.agent.id, versionId: v.id, strategy: "blue_green" });
    expect((await settled(deploymentId)).status).toBe("deployed");

    const res = await runAgent(t, { input: { text: "hello there" } });
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({ host: "deployed", environment: "prod", input: { text: "hello there" } });
    const id = res.body.execution_id as string;

    const done = await waitFor(async () => {
      const row = await executionRow(id);
      return row && ["completed", "failed", "timeout"].includes(row.status) ? row : undefined;
    }, `run ${id} to end`);
    expect(done.status).toBe("completed");
    expect(done.host).toBe("deployed");
    // The steady agent names the version that served it; text-stats (the raw runtime) would answer word counts.
    expect(done.output).toMatchObject({ response: expect.stringMatching(new RegExp(`^steady ${v.version}: `)) });

    await flushMetrics();
    const db = await getDb();
    const rows = await db
      .select({ calls: callRollups.calls, errors: callRollups.errors })
      .from(callRollups)
      .where(and(eq(callRollups.agentId, t.agent.id), eq(callRollups.versionId, v.id)));
    expect(rows.reduce((n, r) => n + r.calls, 0)).toBe(1);
    expect(rows.reduce((n, r) => n + r.errors, 0)).toBe(0);
  });

  it("still runs the agent's own runtime when it has no deployment", async () => {
    const t = await runnableAgent(textStats());
    const res = await runAgent(t, { input: { text: "hello there" } });
    expect(res.status).toBe(202);
    expect(res.body.host).toBe("local");
  });
});
