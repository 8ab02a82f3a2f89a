import "server-only";
import type { InstanceManager, HealthSettings, RouteKey, VersionRow } from "../instances/manager";
import { versionFiles } from "../instances/files";
import type { DeployHostName } from "../types";
import type { AwsHost, DeployHost } from "./types";

export type { AwsHost, DeployHost };

/**
 * The controller's one view of every host: each call goes to the host the route names (`agent_routes.host`). The
 * local host is always there; an AWS host is there when the operator configured it (lib/deploy/hosts/aws.ts).
 */
export class HostRegistry implements DeployHost {
  constructor(
    readonly local: InstanceManager,
    private readonly aws: Partial<Record<Exclude<DeployHostName, "local">, AwsHost>> = {},
  ) {}

  /** The local host's node name (which process holds its sandboxes). */
  get node(): string {
    return this.local.node;
  }

  private of(host: DeployHostName): DeployHost {
    if (host === "local") return this.local;
    const h = this.aws[host];
    if (!h) throw new Error(`the ${host} host is not configured on this controller`);
    return h;
  }

  /** Why a host cannot run deployments here, or null; `local` asks the sandbox probe. */
  unavailable(host: DeployHostName, sandbox: () => string | null): string | null {
    if (host === "local") return sandbox();
    const h = this.aws[host];
    return h ? h.unavailable() : `the ${host} host is not configured on this controller`;
  }

  /** The package phase: the local host materializes the files; an AWS host uploads or checks the artifact. */
  async prepare(version: VersionRow, route: RouteKey): Promise<string> {
    if (route.host === "local") {
      const files = await versionFiles(version);
      return `${files.runtime} entrypoint ${files.entrypoint} ready`;
    }
    return (this.of(route.host) as AwsHost).prepare(version, route);
  }

  activeInstances(route: RouteKey, versionId?: string) {
    return this.of(route.host).activeInstances(route, versionId);
  }

  ensure(route: RouteKey, version: VersionRow, count: number, health: HealthSettings) {
    return this.of(route.host).ensure(route, version, count, health);
  }

  check(route: RouteKey, health: HealthSettings) {
    return this.of(route.host).check(route, health);
  }

  async stopAll(reason?: string): Promise<void> {
    await Promise.all([this.local, ...Object.values(this.aws)].map((h) => h.stopAll(reason)));
  }
}
