import { and, eq } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { deploymentInstances } from "@/db/schema";
import { inTransaction } from "@/lib/db";
import type { Controller, ControllerOptions } from "@/lib/deploy/controller";
import type { StepTable } from "@/lib/deploy/controller/context";
import { sendStep } from "@/lib/deploy/controller/queue";
import { setupTestDatabase } from "@/test/db";
import {
  createVersion,
  DEPLOY_AGENTS_DIR,
  deploymentRow,
  ownedAgent,
  settled,
  startDeployment,
  invokeDeployed,
  testController,
  rolloutInObserve,
} from "@/test/fixtures/deployments";
import { setTestEnv } from "@/test/fixtures/runtime";

/*
 * Several controllers on one database: a restart in the middle of a deployment goes on where it stopped, and a
 * deployment is never driven by two controllers at once, even when both hold a job for the same step.
 */

setupTestDatabase();
const running: Controller[] = [];

beforeAll(() => setTestEnv({ LOCAL_AGENTS_DIR: DEPLOY_AGENTS_DIR }));
afterAll(() => setTestEnv({ LOCAL_AGENTS_DIR: undefined }));
afterEach(async () => {
  await Promise.all(running.splice(0).map((c) => c.stop()));
});

async function controller(opts: ControllerOptions = {}) {
  const c = testController(opts);
  running.push(c);
  return c.start();
}

async function instancesOf(agentId: string, versionId: string) {
  const db = await getDb();
  return db
    .select()
    .from(deploymentInstances)
    .where(and(eq(deploymentInstances.agentId, agentId), eq(deploymentInstances.versionId, versionId)));
}

describe("a restart in the middle of a deployment", () => {
  it("goes on with another controller: it starts the instances again and completes", async () => {
    const a = await controller();
    // In the grace period, between two evaluations: A stops (its sandboxes with it) and B starts.
    const { t, v2, id } = await rolloutInObserve("blue_green", { grace_period: 4 });
    await a.stop();
    running.splice(running.indexOf(a), 1);
    const stopped = await deploymentRow(id);
    expect(stopped).toMatchObject({ status: "deploying", leaseOwner: null, currentPhase: "observe" });
    expect((await instancesOf(t.agent.id, v2.id)).every((i) => i.status === "stopped")).toBe(true);

    const b = await controller();
    const d = await settled(id);
    expect(d.status).toBe("deployed");
    expect(d.phases.find((p) => p.name === "observe")?.logs.join("\n")).toMatch(/started 1 instance\(s\) of /);
    const serving = (await instancesOf(t.agent.id, v2.id)).filter((i) => i.status === "healthy");
    expect(serving.map((i) => i.node)).toEqual([b.instances.node]);
    const r = await invokeDeployed(t, "after the restart");
    expect(r.status).toBe(200);
    expect(r.headers.get("x-agent-version")).toBe(v2.version);
  });
});

describe("two controllers", () => {
  it("never drive one deployment at once, even with a job each for the same step", async () => {
    const inside = new Map<string, string>();
    const runs: { deployment: string; phase: string; by: string }[] = [];
    const overlaps: string[] = [];
    const watch = (by: string) => (steps: StepTable) =>
      Object.fromEntries(
        Object.entries(steps).map(([phase, step]) => [
          phase,
          async (ctx: Parameters<typeof step>[0]) => {
            const id = ctx.deployment.id;
            if (inside.has(id)) overlaps.push(`${id} ${phase}: ${inside.get(id)} and ${by}`);
            inside.set(id, by);
            runs.push({ deployment: id, phase, by });
            try {
              return await step(ctx);
            } finally {
              inside.delete(id);
            }
          },
        ]),
      ) as StepTable;
    await controller({ decorateSteps: watch("A") });
    await controller({ decorateSteps: watch("B") });

    const ids: string[] = [];
    for (let i = 0; i < 4; i++) {
      const t = await ownedAgent();
      const v = await createVersion(t.agent.id, "steady");
      const id = await startDeployment({ agentId: t.agent.id, versionId: v.id, strategy: "initial" });
      // A second job for the same first step, as two restarts would queue.
      await inTransaction((tx) => sendStep(tx, id, 0, 0));
      ids.push(id);
    }
    for (const id of ids) expect((await settled(id)).status).toBe("deployed");
    expect(overlaps).toEqual([]);
    // Each phase that finishes at once ran once per deployment, whoever ran it.
    for (const id of ids) {
      for (const phase of ["validate", "package", "provision", "shift_traffic", "observe", "complete"]) {
        expect(runs.filter((r) => r.deployment === id && r.phase === phase)).toHaveLength(1);
      }
    }
  });
});
