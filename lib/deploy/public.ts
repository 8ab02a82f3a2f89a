import "server-only";
import { and, asc, eq, inArray } from "drizzle-orm";
import type { Queryable } from "@/db/client";
import { agentRoutes, agentVersions, deploymentInstances } from "@/db/schema";
import type { DeployHostName, Environment } from "./types";

/**
 * Where an agent is deployed, per environment: its live version, the traffic split and the health of the
 * instances that serve it. The owner's Deployments page shows all of it; the public agent page shows the live
 * version and its health only.
 */

export type HealthStatus = "healthy" | "degraded" | "unhealthy";

export interface EnvironmentState {
  environment: Environment;
  host: DeployHostName;
  live_version: string | null;
  traffic: { version: string; weight: number }[];
  /** The environment's latest deployment. */
  latest_deployment_id: string | null;
  instances: { healthy: number; total: number };
  /** Of the instances serving traffic: all healthy, some, or none (also when none run). */
  health_status: HealthStatus;
}

const SERVING = ["starting", "healthy", "unhealthy", "draining"] as const;
const ORDER: Environment[] = ["prod", "staging", "dev"];

export async function environmentsOf(db: Queryable, agentId: string): Promise<EnvironmentState[]> {
  const routes = await db.select().from(agentRoutes).where(eq(agentRoutes.agentId, agentId));
  if (routes.length === 0) return [];
  const [versions, instances] = await Promise.all([
    db
      .select({ id: agentVersions.id, version: agentVersions.version })
      .from(agentVersions)
      .where(eq(agentVersions.agentId, agentId)),
    db
      .select({
        environment: deploymentInstances.environment,
        versionId: deploymentInstances.versionId,
        status: deploymentInstances.status,
      })
      .from(deploymentInstances)
      .where(and(eq(deploymentInstances.agentId, agentId), inArray(deploymentInstances.status, [...SERVING])))
      .orderBy(asc(deploymentInstances.startedAt)),
  ]);
  const name = new Map(versions.map((v) => [v.id, v.version]));
  return routes
    .map((r) => {
      const serving = new Set(r.weights.filter((w) => w.weight > 0).map((w) => w.version_id));
      const mine = instances.filter((i) => i.environment === r.environment && serving.has(i.versionId));
      const healthy = mine.filter((i) => i.status === "healthy").length;
      return {
        environment: r.environment,
        host: r.host,
        live_version: r.liveVersionId ? (name.get(r.liveVersionId) ?? null) : null,
        traffic: r.weights.map((w) => ({ version: name.get(w.version_id) ?? w.version_id, weight: w.weight })),
        latest_deployment_id: r.activeDeploymentId,
        instances: { healthy, total: mine.length },
        health_status: (healthy > 0 && healthy === mine.length
          ? "healthy"
          : healthy > 0
            ? "degraded"
            : "unhealthy") as HealthStatus,
      };
    })
    .sort((a, b) => ORDER.indexOf(a.environment) - ORDER.indexOf(b.environment));
}

/** The version the public sees: prod's, else the first environment with a live version; null when none. */
export async function liveDeployment(db: Queryable, agentId: string): Promise<EnvironmentState | null> {
  return (await environmentsOf(db, agentId)).find((e) => e.live_version !== null) ?? null;
}
