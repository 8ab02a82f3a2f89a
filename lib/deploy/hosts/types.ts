import type { HealthSettings, InstanceRow, RouteKey, VersionRow } from "../instances/manager";

/**
 * What the controller asks of a host (the local sandboxes, ECS Fargate, AgentCore): a version's instances for a
 * route, brought to a count (provision, scale, retire at 0), checked, and all of this process's stopped at
 * shutdown. The local InstanceManager has this shape; the AWS hosts implement it over their services.
 */
export interface DeployHost {
  activeInstances(route: RouteKey, versionId?: string): Promise<InstanceRow[]>;
  ensure(
    route: RouteKey,
    version: VersionRow,
    count: number,
    health: HealthSettings,
  ): Promise<{ serving: number; started: number; stopped: number; errors: string[] }>;
  check(route: RouteKey, health: HealthSettings): Promise<InstanceRow[]>;
  stopAll(reason?: string): Promise<void>;
}

/** A host's answers before provisioning: whether it can run at all, and whether it can run this version. */
export interface HostReadiness {
  /** Why this host cannot run deployments here (not configured), or null. */
  unavailable(): string | null;
  /** Prepares the version's code for the host (zip and upload, image check); returns a line for the phase log. */
  prepare(version: VersionRow, route: RouteKey): Promise<string>;
}

export type AwsHost = DeployHost & HostReadiness;
