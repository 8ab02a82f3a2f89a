import "server-only";
import os from "node:os";
import { randomBytes } from "node:crypto";
import { getDb } from "@/db/client";
import { env } from "@/lib/env";
import { getAgentCoreClient } from "@/lib/invoke/client";
import { checkHealth } from "../../instances/health";
import type { HealthSettings, InstanceRow, RouteKey, VersionRow } from "../../instances/manager";
import { loadRoute } from "../../routes";
import { withDefaults } from "../../controller/context";
import { Gateways, type GatewayHandler } from "../gateway";
import { RemoteRows } from "../rows";
import type { AwsHost } from "../types";
import { agentCoreUnavailable } from "./config";
import { getEndpoint, mainEndpoint, nextEndpoint, pointEndpoint } from "./endpoints";
import { SLOT_PATH, type AgentCoreSlot } from "./slot";
import { runtimeVersionFor, versionArtifact, type RuntimeVersionRef } from "./runtime";

/** Which endpoint an instance row invokes, and the runtime version it stands for. */
interface Slot {
  ref: RuntimeVersionRef;
  endpoint: string;
  row: InstanceRow;
}

/**
 * Deployments on Bedrock AgentCore Runtime. A version is a runtime version of the agent's runtime; an instance is
 * an endpoint serving it (AgentCore scales sessions itself, so a version has one instance whatever the count).
 * The first version of an environment goes on `<env>`; while one serves there, the next goes on `<env>_next` (the
 * router splits traffic between the two rows); retiring the version on `<env>` promotes the one on `<env>_next`
 * onto `<env>` first, so the live endpoint always serves. Calls reach AgentCore through the signed invoke
 * transport with the endpoint as qualifier.
 */
export class AgentCoreHost implements AwsHost {
  private readonly rows = new RemoteRows(
    "agentcore",
    `${os.hostname()}:${process.pid}:${randomBytes(4).toString("hex")}`,
  );
  private readonly gateways = new Gateways();
  private readonly slots = new Map<string, Slot>();

  unavailable(): string | null {
    return agentCoreUnavailable();
  }

  async prepare(version: VersionRow, route: RouteKey): Promise<string> {
    return (await versionArtifact(version, route)).line;
  }

  activeInstances(route: RouteKey, versionId?: string) {
    return this.rows.active(route, versionId);
  }

  async ensure(route: RouteKey, version: VersionRow, count: number, health: HealthSettings) {
    const rows = (await this.rows.active(route, version.id)).filter((r) => r.status !== "draining");
    if (count === 0) {
      for (const r of rows) await this.retire(route, r);
      return { serving: 0, started: 0, stopped: rows.length, errors: [] };
    }
    if (rows.length) return { serving: rows.length, started: 0, stopped: 0, errors: [] };
    try {
      await this.provision(route, version, health);
      return { serving: 1, started: 1, stopped: 0, errors: [] };
    } catch (err) {
      return { serving: 0, started: 0, stopped: 0, errors: [(err as Error).message] };
    }
  }

  private async provision(route: RouteKey, version: VersionRow, health: HealthSettings): Promise<void> {
    const timeoutMs = env().DEPLOY_AWS_READY_TIMEOUT_S * 1000;
    const stored = await loadRoute(await getDb(), route.agentId, route.environment);
    const security = withDefaults(stored?.config ?? {}).security;
    const ref = await runtimeVersionFor(route, version, security, timeoutMs, () => {});
    // Another version serving on the main endpoint keeps it; this one goes beside it.
    const others = (await this.rows.active(route)).filter((r) => r.versionId !== version.id);
    const main = await getEndpoint(ref.runtimeId, mainEndpoint(route.environment));
    const onMain = !main || main.liveVersion === ref.version || others.length === 0;
    const endpoint = onMain ? mainEndpoint(route.environment) : nextEndpoint(route.environment);
    await pointEndpoint(ref, endpoint, timeoutMs);
    const row = await this.rows.insert(route, version.id, `AgentCore endpoint ${endpoint} (version ${ref.version})`);
    const slot: Slot = { ref, endpoint, row };
    this.slots.set(row.id, slot);
    const address = await this.gateways.open(row.id, this.handler(slot));
    await this.rows.serve(row, address, await checkHealth(address, health.path, health.timeoutMs));
  }

  /** Stops serving a version: its row ends; if it held the main endpoint, the version beside it moves there. */
  private async retire(route: RouteKey, row: InstanceRow): Promise<void> {
    const slot = this.slots.get(row.id);
    if (slot && slot.endpoint === mainEndpoint(route.environment)) {
      const beside = [...this.slots.entries()].find(
        ([id, s]) =>
          id !== row.id && s.ref.runtimeId === slot.ref.runtimeId && s.endpoint === nextEndpoint(route.environment),
      );
      if (beside) {
        await pointEndpoint(beside[1].ref, slot.endpoint, env().DEPLOY_AWS_READY_TIMEOUT_S * 1000);
        beside[1].endpoint = slot.endpoint;
      }
    }
    await this.rows.mark(row, { status: "draining", reason: "no longer needed" }, true);
    await this.gateways.close(row.id);
    this.slots.delete(row.id);
    await this.rows.end(row, "stopped", "no longer needed");
  }

  check(route: RouteKey, health: HealthSettings) {
    return this.rows.check(route, health, async (row) =>
      this.gateways.has(row.id) ? null : "its gateway is gone (the controller that started it stopped)",
    );
  }

  /**
   * GET SLOT_PATH: the runtime and endpoint (the invoke API calls them itself); another GET: healthy while the endpoint
   * serves the version; POST /invocations: the signed invoke, qualifier = endpoint.
   */
  private handler(slot: Slot): GatewayHandler {
    return async (req, body, res) => {
      const json = (status: number, value: unknown) => {
        res.writeHead(status, { "content-type": "application/json" });
        res.end(JSON.stringify(value));
      };
      if (req.method === "GET" && req.url === SLOT_PATH) {
        const info: AgentCoreSlot = {
          runtime_arn: slot.ref.runtimeArn,
          qualifier: slot.endpoint,
          runtime_version: slot.ref.version,
        };
        return json(200, info);
      }
      if (req.method === "GET") {
        const e = await getEndpoint(slot.ref.runtimeId, slot.endpoint);
        const serving = e?.liveVersion === slot.ref.version && (e.status === "READY" || e.status === "UPDATING");
        return json(serving ? 200 : 503, { status: serving ? "Healthy" : (e?.status ?? "missing") });
      }
      const input = JSON.parse(body.toString("utf8") || "{}") as { prompt?: unknown; sessionId?: unknown };
      const prompt = typeof input.prompt === "string" ? input.prompt : JSON.stringify(input);
      const sessionId = typeof input.sessionId === "string" ? input.sessionId : undefined;
      try {
        const r = await getAgentCoreClient().invokeAgent(slot.ref.runtimeArn, prompt, sessionId, {
          qualifier: slot.endpoint,
          transport: "http",
        });
        json(200, { response: r.response, sessionId: r.sessionId });
      } catch (err) {
        const e = err as { name?: string; message?: string; status?: number };
        json(e.status && e.status < 500 ? e.status : 502, { error: e.name ?? "InvocationError", message: e.message });
      }
    };
  }

  /**
   * The endpoints stay on AWS; this process's gateways close and their rows end, so the next controller's route
   * check provisions the version again (it finds its runtime version and endpoint as they are, and opens its own).
   */
  async stopAll(reason = "the controller stopped"): Promise<void> {
    const slots = [...this.slots.values()];
    this.slots.clear();
    await this.gateways.closeAll();
    await Promise.all(slots.map((s) => this.rows.end(s.row, "stopped", reason)));
  }
}
