import type { RunningAgent } from "../agentcore/agent-host";
import type { VersionProcesses } from "./processes";
import {
  checkName,
  conflict,
  endpointJson,
  invalid,
  iso,
  newEndpoint,
  newRuntime,
  notFound,
  runtimeJson,
  touch,
  versionOf,
  type Endpoint,
  type Runtime,
} from "./state";

export interface ControlFaults {
  /** The next N requests answer 429 ThrottlingException. */
  throttle: number;
  /** The next N mutating requests answer 409 ConflictException (another update in progress). */
  conflict: number;
  /** The next N endpoint creates/updates stay CREATING/UPDATING for ever. */
  endpointNeverReady: number;
  /** The next N runtime versions fail to build (CREATE_FAILED / UPDATE_FAILED with this reason). */
  failVersions: number;
  failReason: string;
}

/**
 * The six runtime and endpoint operations over the double's state, and the READY transitions behind them: a
 * runtime version builds for `stepMs`; an endpoint moves once its version is READY and its process answers /ping
 * (a process that cannot start fails the endpoint with the reason, and the live version keeps serving).
 */
export class ControlActions {
  readonly runtimes = new Map<string, Runtime>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private closed = false;

  constructor(
    private readonly faults: ControlFaults,
    private readonly processes: VersionProcesses,
    private readonly objectExists: (bucket: string, key: string) => boolean,
    private readonly stepMs: number,
  ) {}

  get(id: string): Runtime {
    const rt = this.runtimes.get(id);
    if (!rt) throw notFound(`AgentRuntime ${id}`);
    return rt;
  }

  private mutating(): void {
    if (this.faults.conflict > 0) {
      this.faults.conflict--;
      throw conflict("An update of this resource is already in progress");
    }
  }

  createRuntime(body: Record<string, any>) {
    const name = checkName("agentRuntimeName", body.agentRuntimeName);
    for (const rt of this.runtimes.values()) {
      if (rt.name !== name) continue;
      const again = body.clientToken && rt.tokens.get(body.clientToken);
      if (again) return this.created(rt, again);
      throw conflict(`An agent runtime named ${name} already exists`);
    }
    this.mutating();
    const rt = newRuntime(name, versionOf(body, "1", this.objectExists));
    if (body.clientToken) rt.tokens.set(body.clientToken, "1");
    this.runtimes.set(rt.id, rt);
    const def = newEndpoint(rt, "DEFAULT", "1");
    rt.endpoints.set("DEFAULT", def);
    this.build(rt, "1", "CREATE_FAILED");
    return this.created(rt, "1");
  }

  updateRuntime(id: string, body: Record<string, any>) {
    const rt = this.get(id);
    const again = body.clientToken && rt.tokens.get(body.clientToken);
    if (again) return this.created(rt, again);
    this.mutating();
    if (rt.status === "CREATING" || rt.status === "UPDATING") throw conflict(`AgentRuntime ${id} is ${rt.status}`);
    const version = String(Number(rt.latest) + 1);
    rt.versions.set(version, versionOf(body, version, this.objectExists));
    rt.latest = version;
    rt.status = "UPDATING";
    rt.failureReason = undefined;
    touch(rt);
    if (body.clientToken) rt.tokens.set(body.clientToken, version);
    this.build(rt, version, "UPDATE_FAILED");
    return this.created(rt, version);
  }

  listRuntimes(body: Record<string, any>) {
    const all = [...this.runtimes.values()];
    const start = Number(body.nextToken ?? 0);
    const max = Math.min(Number(body.maxResults ?? 100), 100);
    const page = all.slice(start, start + max).map((rt) => {
      const v = runtimeJson(rt, rt.versions.get(rt.latest)!);
      const { agentRuntimeArn, agentRuntimeId, agentRuntimeVersion, agentRuntimeName, lastUpdatedAt, status } = v;
      return {
        agentRuntimeArn,
        agentRuntimeId,
        agentRuntimeVersion,
        agentRuntimeName,
        lastUpdatedAt,
        status,
        description: v.description ?? "",
      };
    });
    return { agentRuntimes: page, ...(start + max < all.length ? { nextToken: String(start + max) } : {}) };
  }

  getRuntime(id: string, version: string | null) {
    const rt = this.get(id);
    const v = rt.versions.get(version ?? rt.latest);
    if (!v) throw notFound(`Version ${version} of AgentRuntime ${id}`);
    return runtimeJson(rt, v);
  }

  createEndpoint(id: string, body: Record<string, any>) {
    const rt = this.get(id);
    const name = checkName("name", body.name);
    const version = String(body.agentRuntimeVersion ?? rt.latest);
    if (!rt.versions.has(version)) throw invalid(`Version ${version} of AgentRuntime ${id} does not exist`);
    const existing = rt.endpoints.get(name);
    if (existing) {
      if (existing.targetVersion === version || existing.liveVersion === version) return this.endpointOut(rt, existing);
      throw conflict(`An endpoint named ${name} already exists`);
    }
    this.mutating();
    const e = newEndpoint(rt, name, version, body.description);
    rt.endpoints.set(name, e);
    this.move(rt, e, version, "CREATE_FAILED");
    return this.endpointOut(rt, e);
  }

  updateEndpoint(id: string, name: string, body: Record<string, any>) {
    const rt = this.get(id);
    const e = rt.endpoints.get(name);
    if (!e) throw notFound(`AgentRuntimeEndpoint ${name}`);
    this.mutating();
    if (e.status === "CREATING" || e.status === "UPDATING") throw conflict(`Endpoint ${name} is ${e.status}`);
    const version = String(body.agentRuntimeVersion ?? rt.latest);
    if (!rt.versions.has(version)) throw invalid(`Version ${version} of AgentRuntime ${id} does not exist`);
    e.status = "UPDATING";
    e.targetVersion = version;
    e.failureReason = undefined;
    if (body.description !== undefined) e.description = body.description;
    touch(e);
    this.move(rt, e, version, "UPDATE_FAILED");
    return this.endpointOut(rt, e);
  }

  getEndpoint(id: string, name: string) {
    const rt = this.get(id);
    const e = rt.endpoints.get(name);
    if (!e) throw notFound(`AgentRuntimeEndpoint ${name}`);
    return endpointJson(rt, e);
  }

  /** The process serving an endpoint's live version (the data plane's question). */
  serving(arn: string, qualifier: string): { rt: Runtime; e: Endpoint } | null {
    for (const rt of this.runtimes.values()) {
      if (rt.arn !== arn) continue;
      const e = rt.endpoints.get(qualifier);
      return e?.liveVersion ? { rt, e } : null;
    }
    return null;
  }

  agentFor(arn: string, qualifier: string): Promise<RunningAgent> {
    const s = this.serving(arn, qualifier);
    if (!s) return Promise.reject(new Error(`no endpoint ${qualifier} serves ${arn}`));
    return this.processes.agentFor(s.rt, s.rt.versions.get(s.e.liveVersion!)!);
  }

  private created(rt: Runtime, version: string) {
    return {
      agentRuntimeArn: rt.arn,
      agentRuntimeId: rt.id,
      agentRuntimeVersion: version,
      createdAt: iso(rt.createdAt),
      status: rt.latest === version ? rt.status : "READY",
    };
  }

  private endpointOut(rt: Runtime, e: Endpoint) {
    const { agentRuntimeEndpointArn, agentRuntimeArn, status, createdAt, lastUpdatedAt, liveVersion, targetVersion } =
      endpointJson(rt, e);
    return {
      agentRuntimeEndpointArn,
      agentRuntimeArn,
      status,
      createdAt,
      lastUpdatedAt,
      liveVersion,
      targetVersion,
      agentRuntimeId: rt.id,
      endpointName: e.name,
    };
  }

  private later(fn: () => void | Promise<void>): void {
    const t = setTimeout(() => {
      this.timers.delete(t);
      if (!this.closed) void fn();
    }, this.stepMs);
    this.timers.add(t);
  }

  /** A runtime version builds: READY after a step, or failed (fault). DEFAULT follows the latest version. */
  private build(rt: Runtime, version: string, failed: "CREATE_FAILED" | "UPDATE_FAILED"): void {
    const fail = this.faults.failVersions > 0 ? (this.faults.failVersions--, this.faults.failReason) : null;
    this.later(() => {
      if (rt.latest !== version) return;
      rt.status = fail ? failed : "READY";
      rt.failureReason = fail ?? undefined;
      touch(rt);
      const def = rt.endpoints.get("DEFAULT");
      if (def && !fail) Object.assign(def, { status: "READY", liveVersion: version, targetVersion: undefined });
    });
  }

  /** An endpoint moves to `version` once it is built and its process answers; the live version serves meanwhile. */
  private move(rt: Runtime, e: Endpoint, version: string, failed: "CREATE_FAILED" | "UPDATE_FAILED"): void {
    if (this.faults.endpointNeverReady > 0) {
      this.faults.endpointNeverReady--;
      return;
    }
    const step = async () => {
      if (e.targetVersion !== version) return;
      const built = rt.latest !== version || rt.status === "READY";
      if (!built) {
        if (rt.status.endsWith("FAILED"))
          return this.failEndpoint(e, failed, rt.failureReason ?? "the version failed to build");
        return this.later(step);
      }
      try {
        await this.processes.agentFor(rt, rt.versions.get(version)!);
      } catch (err) {
        return this.failEndpoint(e, failed, (err as Error).message);
      }
      if (e.targetVersion !== version) return;
      Object.assign(e, { status: "READY", liveVersion: version, targetVersion: undefined });
      touch(e);
    };
    this.later(step);
  }

  private failEndpoint(e: Endpoint, status: "CREATE_FAILED" | "UPDATE_FAILED", reason: string): void {
    Object.assign(e, { status, failureReason: reason, targetVersion: undefined });
    touch(e);
  }

  close(): void {
    this.closed = true;
    for (const t of this.timers) clearTimeout(t);
  }
}
