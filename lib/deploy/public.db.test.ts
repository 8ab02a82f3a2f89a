import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { agentRoutes, deploymentInstances } from "@/db/schema";
import { setupTestDatabase } from "@/test/db";
import { canaryTraffic, markLive } from "@/test/fixtures/deploy";
import { deployVersion } from "@/test/fixtures/deployments";
import { createAgent } from "@/test/fixtures/market";
import { findAgent } from "@/lib/market/agents";
import { deployedDetail } from "@/lib/market/deployed-agents";
import { environmentsOf, liveDeployment } from "./public";

const holder = setupTestDatabase();
const db = () => holder.current.database.db;

async function deployed() {
  const a = await createAgent(db());
  const deploy = (version: string, environment: string) => deployVersion(a, version, environment);
  return { ...a, deploy };
}

describe("environmentsOf / liveDeployment", () => {
  it("is empty for an agent never deployed", async () => {
    const a = await deployed();
    expect(await environmentsOf(db(), a.agent.id)).toEqual([]);
    expect(await liveDeployment(db(), a.agent.id)).toBeNull();
  });

  it("names the live version, the split and the health of the instances that take traffic, prod first", async () => {
    const a = await deployed();
    const dev = await a.deploy("0.9.0", "dev");
    const v1 = await a.deploy("1.0.0", "prod");
    // Deploying, nothing live yet: the public sees no version.
    expect(await liveDeployment(db(), a.agent.id)).toBeNull();
    await markLive(db(), dev.deployment_id);
    expect(await liveDeployment(db(), a.agent.id)).toMatchObject({ environment: "dev", live_version: "0.9.0" });

    await markLive(db(), v1.deployment_id);
    const v2 = await a.deploy("1.1.0", "prod");
    // A canary: 10% on 1.1.0, which has one unhealthy instance of two.
    await db()
      .update(agentRoutes)
      .set({
        weights: [
          { version_id: v1.version_id, weight: 90 },
          { version_id: v2.version_id, weight: 10 },
        ],
      })
      .where(and(eq(agentRoutes.agentId, a.agent.id), eq(agentRoutes.environment, "prod")));
    const base = { agentId: a.agent.id, environment: "prod" as const, host: "local" as const, node: "test" };
    await db()
      .insert(deploymentInstances)
      .values([
        { ...base, versionId: v1.version_id, status: "healthy" },
        { ...base, versionId: v2.version_id, status: "healthy" },
        { ...base, versionId: v2.version_id, status: "unhealthy" },
        // Stopped instances and other environments do not count.
        { ...base, versionId: v2.version_id, status: "stopped" },
        { ...base, environment: "dev", versionId: dev.version_id, status: "healthy" },
      ]);

    const envs = await environmentsOf(db(), a.agent.id);
    expect(envs.map((e) => e.environment)).toEqual(["prod", "dev"]);
    expect(envs[0]).toEqual({
      environment: "prod",
      host: "local",
      live_version: "1.0.0",
      traffic: canaryTraffic(10),
      latest_deployment_id: v2.deployment_id,
      instances: { healthy: 2, total: 3 },
      health_status: "degraded",
    });
    expect(envs[1]).toMatchObject({
      live_version: "0.9.0",
      instances: { healthy: 1, total: 1 },
      health_status: "healthy",
    });
    expect(await liveDeployment(db(), a.agent.id)).toMatchObject({ environment: "prod", live_version: "1.0.0" });
  });

  it("is unhealthy when no instance serves the live version", async () => {
    const a = await deployed();
    const v1 = await a.deploy("1.0.0", "staging");
    await markLive(db(), v1.deployment_id);
    expect(await liveDeployment(db(), a.agent.id)).toMatchObject({
      live_version: "1.0.0",
      instances: { healthy: 0, total: 0 },
      health_status: "unhealthy",
    });
  });
});

describe("deployedDetail", () => {
  it("serves a profile that was never deployed from its cache, and shows the first deployment at once", async () => {
    const a = await deployed();
    const agent = (await findAgent(db(), a.agent.id))!;
    const detail = () => deployedDetail(db(), agent, "http://127.0.0.1", false);
    expect((await detail()).deployment).toBeNull();
    expect((await detail()).deployment).toBeNull();
    await a.deploy("1.0.0", "prod");
    expect((await detail()).deployment).not.toBeNull();
  });
});
