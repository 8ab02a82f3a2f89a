import { and, eq, inArray, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { callRollups, deploymentInstances, events, messages, scalingEvents } from "@/db/schema";
import { flushMetrics } from "@/lib/metrics/recorder";
import { setSecrets } from "@/lib/runtime/secrets/store";
import { setupTestDatabase } from "@/test/db";
import {
  createVersion,
  invokeDeployed,
  ownedAgent,
  routeOf,
  settled,
  setupTestController,
  startDeployment,
} from "@/test/fixtures/deployments";
import { setTestEnv, waitFor } from "@/test/fixtures/runtime";

/* A deployed version's instances: scaled on utilization, checked on their health path, replaced when they die. */

setupTestDatabase();
setupTestController();

async function instancesOf(agentId: string) {
  const db = await getDb();
  return db.select().from(deploymentInstances).where(eq(deploymentInstances.agentId, agentId));
}
const healthy = async (agentId: string) => (await instancesOf(agentId)).filter((i) => i.status === "healthy");

describe("scaling", () => {
  it("scales up under load toward the target utilization, and back down one instance at a time", async () => {
    const t = await ownedAgent();
    await setSecrets(await getDb(), t.agent.id, { SLOW_DELAY_MS: "2500" });
    const v = await createVersion(t.agent.id, "slow", { concurrent_executions: 1 });
    const id = await startDeployment({
      agentId: t.agent.id,
      versionId: v.id,
      strategy: "initial",
      config: { auto_scaling: { enabled: true, min_instances: 1, max_instances: 3, target_utilization: 0.5 } },
    });
    expect((await settled(id)).status).toBe("deployed");
    expect(await healthy(t.agent.id)).toHaveLength(1);
    // Four calls in flight on one instance that serves one at a time: 400% against a target of 50%.
    const calls = Promise.all(Array.from({ length: 4 }, () => invokeDeployed(t, "load")));
    await waitFor(async () => ((await healthy(t.agent.id)).length === 3 ? true : undefined), "three instances");
    expect((await calls).map((r) => r.status)).toEqual([200, 200, 200, 200]);
    const db = await getDb();
    const scaling = () =>
      db.select().from(scalingEvents).where(eq(scalingEvents.agentId, t.agent.id)).orderBy(scalingEvents.createdAt);
    const steps = await waitFor(
      async () => ((await healthy(t.agent.id)).length === 1 && (await scaling()).length === 3 ? scaling() : undefined),
      "back to one instance",
      20_000,
    );
    expect(steps.map((s) => [s.action, s.fromInstances, s.toInstances])).toEqual([
      ["scale_up", 1, 3],
      ["scale_down", 3, 2],
      ["scale_down", 2, 1],
    ]);
    expect(steps[0]?.reason).toMatch(/^utilization \d+% above target 50%$/);
  });
});

describe("health", () => {
  it("fails a deployment whose instances fail their health path; the owner is told and no traffic moved", async () => {
    const t = await ownedAgent();
    const v = await createVersion(t.agent.id, "unhealthy");
    const id = await startDeployment({ agentId: t.agent.id, versionId: v.id, strategy: "initial" });
    const d = await settled(id);
    expect(d).toMatchObject({ status: "failed", currentPhase: "health_check" });
    expect(d.reason).toBe("Health check failed: /health answered 503");
    expect(d.phases.find((p) => p.name === "health_check")?.status).toBe("failed");
    expect((await routeOf(t.agent.id))?.weights).toEqual([]);
    const db = await getDb();
    const [message] = await db.select().from(messages).where(eq(messages.recipientAgentId, t.agent.id));
    expect(message?.subject).toBe(`Deployment of ${v.version} to prod failed`);
    const [event] = await db
      .select()
      .from(events)
      .where(and(eq(events.type, "deployment_failed"), eq(events.subjectId, id)));
    expect(event?.data).toMatchObject({ status: "failed", reason: d.reason });
    await waitFor(
      async () => ((await instancesOf(t.agent.id)).every((i) => i.status === "failed") ? true : undefined),
      "its instance failed",
    );
  });

  it("replaces an instance whose process ended", async () => {
    const t = await ownedAgent();
    const v = await createVersion(t.agent.id, "steady");
    expect(
      (await settled(await startDeployment({ agentId: t.agent.id, versionId: v.id, strategy: "initial" }))).status,
    ).toBe("deployed");
    const [first] = await healthy(t.agent.id);
    // The test agents end their process on this input (docs/agent-contract.md's fault hook).
    expect((await invokeDeployed(t, "__crash__")).status).toBe(503);
    const replaced = await waitFor(async () => {
      const rows = await healthy(t.agent.id);
      return rows.length === 1 && rows[0]!.id !== first!.id ? rows[0] : undefined;
    }, "a new instance");
    const [gone] = (await instancesOf(t.agent.id)).filter((i) => i.id === first!.id);
    expect(gone).toMatchObject({ status: "failed" });
    // Whichever notices first: the process's exit, or the next health check finding its socket gone.
    expect(gone?.reason).toMatch(/^(process ended: exited with 3|its process is gone)$/);
    expect(replaced.node).toBe(first!.node);
    const r = await invokeDeployed(t, "still here");
    expect(r.status).toBe(200);
  });
});

describe("resource usage", () => {
  it("samples the CPU time and resident memory of a sandboxed instance's processes into the metrics", async () => {
    const t = await ownedAgent();
    const v = await createVersion(t.agent.id, "steady", { memory_limit: 256 });
    expect(
      (await settled(await startDeployment({ agentId: t.agent.id, versionId: v.id, strategy: "initial" }))).status,
    ).toBe("deployed");
    expect((await invokeDeployed(t, "some work")).status).toBe(200);
    const db = await getDb();
    // Health checks run every second (FAST); each samples the instance's process tree.
    const row = await waitFor(async () => {
      await flushMetrics();
      const [r] = await db
        .select()
        .from(callRollups)
        .where(and(eq(callRollups.versionId, v.id), sql`${callRollups.resourceSamples} > 0`));
      return r;
    }, "a resource sample");
    // A Node process holds tens of megabytes resident; the whole tree stays under the version's limit.
    expect(row.memoryBytesMax).toBeGreaterThan(10 * 1024 * 1024);
    expect(row.memoryBytesMax).toBeLessThan(256 * 1024 * 1024 * 2);
    const memory = row.memoryUtilizationSum / row.resourceSamples;
    expect(memory).toBeGreaterThan(0);
    expect(memory).toBeLessThanOrEqual(1);
    const cpu = row.cpuUtilizationSum / row.resourceSamples;
    expect(cpu).toBeGreaterThanOrEqual(0);
    expect(cpu).toBeLessThanOrEqual(1);
  });
});

describe("the local host's limit", () => {
  it("refuses an instance past DEPLOY_LOCAL_MAX_INSTANCES: the deployment fails with the reason", async () => {
    const first = await ownedAgent();
    const v1 = await createVersion(first.agent.id, "steady");
    expect(
      (await settled(await startDeployment({ agentId: first.agent.id, versionId: v1.id, strategy: "initial" }))).status,
    ).toBe("deployed");
    const db = await getDb();
    const [running] = await db
      .select({ n: sql<number>`count(*)::int` })
      .from(deploymentInstances)
      .where(inArray(deploymentInstances.status, ["starting", "healthy", "unhealthy", "draining"]));
    setTestEnv({ DEPLOY_LOCAL_MAX_INSTANCES: String(running?.n ?? 0) });
    try {
      const t = await ownedAgent();
      const v = await createVersion(t.agent.id, "steady");
      const d = await settled(await startDeployment({ agentId: t.agent.id, versionId: v.id, strategy: "initial" }));
      expect(d.status).toBe("failed");
      expect(d.reason).toBe(
        `Instances of the new version failed to start: the local host already runs its maximum of ${running?.n ?? 0} instances`,
      );
    } finally {
      setTestEnv({ DEPLOY_LOCAL_MAX_INSTANCES: undefined });
    }
  });
});
