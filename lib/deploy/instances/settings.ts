import type { agentVersions, deploymentInstances } from "@/db/schema";
import type { DeployHostName, Environment } from "../types";

export type InstanceRow = typeof deploymentInstances.$inferSelect;
export type VersionRow = typeof agentVersions.$inferSelect;

/** Instances that exist (not yet stopped or failed); the router sends calls only to the `healthy` ones. */
export const ACTIVE_STATUSES = ["starting", "healthy", "unhealthy", "draining"] as const;

export interface RouteKey {
  agentId: string;
  environment: Environment;
  host: DeployHostName;
}

export interface HealthSettings {
  path: string;
  /** Consecutive failed checks after which an instance is failed and replaced. */
  failureThreshold: number;
  timeoutMs: number;
}

export function healthSettings(config: {
  health_check: { path: string; interval: number };
  rollback: { rollback_triggers: { health_check_failures: number } };
}): HealthSettings {
  return {
    path: config.health_check.path,
    failureThreshold: Math.max(1, config.rollback.rollback_triggers.health_check_failures),
    timeoutMs: Math.min(5_000, Math.max(500, config.health_check.interval * 1000)),
  };
}
