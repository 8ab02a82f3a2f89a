import { eq } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { deploymentInstances, deployments } from "@/db/schema";
import { flushMetrics, recordCall, recordUsage, closeRecorder } from "@/lib/metrics/recorder";
import { setupTestDatabase } from "@/test/db";
import { markLive } from "@/test/fixtures/deploy";
import { deployVersion } from "@/test/fixtures/deployments";
import { createAgent, createUser } from "@/test/fixtures/market";
import { call } from "@/test/http";
import { GET as getDeploymentRoute } from "./[deploymentId]/route";
import { GET as listDeploymentsRoute } from "./route";

const holder = setupTestDatabase();
const db = () => holder.current.database.db;

afterEach(() => closeRecorder());

async function setup() {
  const owner = await createUser(db());
  const a = await createAgent(db(), { ownerUserId: owner.user.id });
  const deploy = (version: string, environment: string) => deployVersion(a, version, environment);
  return { ...a, owner, deploy };
}

const get = (agentId: string, deploymentId: string, opts: { key?: string; headers?: Record<string, string> }) =>
  call(getDeploymentRoute, `/api/agents/${agentId}/deployments/${deploymentId}`, {
    ...opts,
    params: { id: agentId, deploymentId },
  });

describe("GET /api/agents/{id}/deployments/{deploymentId}", () => {
  it("shows phases, health from the instances, performance of the last 5 minutes and the traffic split", async () => {
    const a = await setup();
    const v1 = await a.deploy("1.0.0", "prod");
    await markLive(db(), v1.deployment_id);
    const v2 = await a.deploy("1.1.0", "prod");

    const fresh = await get(a.agent.id, v2.deployment_id, { key: a.key });
    expect(fresh.status).toBe(200);
    expect(fresh.body).toMatchObject({
      deployment_id: v2.deployment_id,
      status: "deploying",
      progress: 0,
      current_phase: "validate",
      strategy: "blue_green",
      version: "1.1.0",
      previous_version: "1.0.0",
      completed_at: null,
      reason: null,
      health: { overall_status: "degraded", checks: [] },
      performance: { response_time_p95: 0, error_rate: 0, throughput: 0, cpu_utilization: 0, memory_utilization: 0 },
      traffic: [{ version: "1.0.0", weight: 100 }],
    });
    expect(fresh.body.phases).toHaveLength(7);
    expect(fresh.body.phases[0]).toEqual({
      name: "validate",
      status: "pending",
      started_at: null,
      completed_at: null,
      logs: [],
    });

    // What the controller and the router would have written: instances of both versions, calls of the new one.
    const base = { agentId: a.agent.id, environment: "prod" as const, host: "local" as const, node: "test" };
    await db()
      .insert(deploymentInstances)
      .values([
        { ...base, versionId: v1.version_id, status: "healthy", lastCheckAt: new Date(), lastCheckMessage: "200 OK" },
        { ...base, versionId: v2.version_id, status: "unhealthy", consecutiveFailures: 2, lastCheckMessage: "503" },
        { ...base, versionId: v2.version_id, status: "stopped" },
      ]);
    const at = new Date();
    for (let i = 0; i < 10; i++) {
      recordCall({
        agentId: a.agent.id,
        environment: "prod",
        versionId: v2.version_id,
        latencyMs: i < 9 ? 20 : 900,
        outcome: i < 8 ? "ok" : i === 8 ? "error" : "timeout",
        bytesIn: 10,
        bytesOut: 10,
        at,
      });
    }
    recordUsage({
      agentId: a.agent.id,
      environment: "prod",
      versionId: v2.version_id,
      cpuUtilization: 0.5,
      memoryUtilization: 0.25,
      memoryBytes: 1,
      diskBytes: 1,
      at,
    });
    await flushMetrics();

    const busy = await get(a.agent.id, v2.deployment_id, { headers: a.owner.headers });
    expect(busy.status).toBe(200);
    expect(busy.body.health.overall_status).toBe("degraded");
    const checks = busy.body.health.checks as { name: string; status: string; message: string }[];
    expect(checks.map((c) => [c.status, c.message]).sort()).toEqual([
      ["healthy", "200 OK"],
      ["unhealthy", "503"],
    ]);
    expect(checks.find((c) => c.status === "unhealthy")!.name).toContain("1.1.0");
    const perf = busy.body.performance;
    expect(perf.error_rate).toBeCloseTo(0.2);
    expect(perf.throughput).toBeCloseTo(10 / 300);
    expect(perf.response_time_p95).toBeGreaterThan(500);
    expect(perf.cpu_utilization).toBeCloseTo(0.5);
    expect(perf.memory_utilization).toBeCloseTo(0.25);

    // Only unhealthy instances left: unhealthy.
    await db()
      .update(deploymentInstances)
      .set({ status: "unhealthy" })
      .where(eq(deploymentInstances.versionId, v1.version_id));
    expect((await get(a.agent.id, v2.deployment_id, { key: a.key })).body.health.overall_status).toBe("unhealthy");
  });

  it("is the agent's owner's or its own: others get 403, another agent's deployment id 404", async () => {
    const a = await setup();
    const d = await a.deploy("1.0.0", "dev");
    const b = await setup();
    const other = await b.deploy("1.0.0", "dev");
    expect((await get(a.agent.id, other.deployment_id, { key: a.key })).status).toBe(404);
    expect((await get(a.agent.id, d.deployment_id, { key: b.key })).status).toBe(403);
    const stranger = await createUser(db());
    expect((await get(a.agent.id, d.deployment_id, { headers: stranger.headers })).status).toBe(403);
    const noMonitor = await createAgent(db(), { scopes: ["agent:deploy"] });
    expect((await get(noMonitor.agent.id, d.deployment_id, { key: noMonitor.key })).status).toBe(403);
    expect((await get(a.agent.id, "not-a-uuid", { key: a.key })).status).toBe(404);
  });
});

describe("GET /api/agents/{id}/deployments", () => {
  it("lists newest first, pages, and filters by environment and status (unknown filters are 400)", async () => {
    const a = await setup();
    const d1 = await a.deploy("1.0.0", "dev");
    await markLive(db(), d1.deployment_id);
    const d2 = await a.deploy("1.0.0", "staging");
    const d3 = await a.deploy("1.1.0", "dev");
    await db()
      .update(deployments)
      .set({ status: "failed", reason: "health check failed" })
      .where(eq(deployments.id, d3.deployment_id));

    const list = (query: Record<string, string | number>) =>
      call(listDeploymentsRoute, `/api/agents/${a.agent.id}/deployments`, {
        key: a.key,
        params: { id: a.agent.id },
        query,
      });
    const all = await list({});
    expect(all.status).toBe(200);
    expect(all.body.total).toBe(3);
    expect(all.body.data.map((d: { deployment_id: string }) => d.deployment_id)).toEqual([
      d3.deployment_id,
      d2.deployment_id,
      d1.deployment_id,
    ]);
    expect(all.body.data[0]).toMatchObject({
      status: "failed",
      reason: "health check failed",
      previous_version: "1.0.0",
    });

    const p1 = await list({ limit: 2 });
    const p2 = await list({ limit: 2, cursor: p1.body.next_cursor });
    expect([...p1.body.data, ...p2.body.data].map((d: { deployment_id: string }) => d.deployment_id)).toEqual(
      all.body.data.map((d: { deployment_id: string }) => d.deployment_id),
    );
    expect(p2.body.next_cursor).toBeNull();

    const dev = await list({ environment: "dev" });
    expect(dev.body.data.map((d: { version: string }) => d.version)).toEqual(["1.1.0", "1.0.0"]);
    const deploying = await list({ status: "deploying" });
    expect(deploying.body.data.map((d: { deployment_id: string }) => d.deployment_id)).toEqual([d2.deployment_id]);
    expect((await list({ environment: "qa" })).status).toBe(400);
    expect((await list({ tag: "x" })).status).toBe(400);
  });
});
