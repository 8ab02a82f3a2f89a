import "server-only";
import { inArray } from "drizzle-orm";
import { getDb } from "@/db/client";
import { agentVersions, scalingEvents } from "@/db/schema";
import { takePeak } from "../instances/load";
import type { DeployHost } from "../hosts";
import { healthSettings } from "../instances/manager";
import { scaleStep } from "../instances/scaling";
import { loadRoute, rolloutInProgress } from "../routes";
import type { Environment } from "../types";
import { withDefaults } from "./context";

/**
 * The steady state of one route, run every health-check interval: check every instance (failing ones are failed
 * and stopped), then bring each version to what it needs: versions with traffic are scaled on utilization between
 * min and max and their failed instances replaced; versions without traffic are stopped. While a deployment is in
 * progress the controller's steps own the route's instances and this only looks again later.
 * Returns when to check again (seconds), or null when the route has nothing left to look after.
 */
export async function checkRoute(
  manager: DeployHost,
  agentId: string,
  environment: Environment,
): Promise<number | null> {
  const db = await getDb();
  const route = await loadRoute(db, agentId, environment);
  if (!route) return null;
  const config = withDefaults(route.config);
  const interval = Math.max(1, config.health_check.interval);
  if (await rolloutInProgress(db, agentId, environment)) return interval;

  const key = { agentId, environment, host: route.host };
  const health = healthSettings(config);
  const rows = await manager.check(key, health);
  const serving = new Set(route.weights.filter((w) => w.weight > 0).map((w) => w.version_id));
  const present = new Set(rows.filter((r) => r.status !== "failed").map((r) => r.versionId));
  const ids = [...new Set([...serving, ...present])];
  if (ids.length === 0) return serving.size ? interval : null;
  const versions = await db.select().from(agentVersions).where(inArray(agentVersions.id, ids));
  for (const version of versions) {
    const current = rows.filter(
      (r) => r.versionId === version.id && r.status !== "failed" && r.status !== "draining",
    ).length;
    if (!serving.has(version.id)) {
      await manager.ensure(key, version, 0, health);
      continue;
    }
    const step = scaleStep(
      current,
      takePeak(version.id),
      version.configuration.concurrent_executions,
      config.auto_scaling,
    );
    // Failed instances were already subtracted: keeping `current` would not replace them below the minimum.
    const wanted = step?.to ?? Math.max(current, 1);
    const r = await manager.ensure(key, version, wanted, health);
    if (step && r.serving !== current) {
      await db.insert(scalingEvents).values({
        agentId,
        environment,
        versionId: version.id,
        action: step.action,
        reason: step.reason,
        fromInstances: current,
        toInstances: r.serving,
      });
    }
  }
  return interval;
}
