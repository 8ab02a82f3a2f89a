import "server-only";
import { eq } from "drizzle-orm";
import { getDb } from "@/db/client";
import { deploymentInstances } from "@/db/schema";
import { checkHealth, type HealthResult } from "../instances/health";
import {
  activeInstanceRows,
  markInstance,
  type HealthSettings,
  type InstanceRow,
  type RouteKey,
} from "../instances/manager";

/**
 * The deployment_instances rows of an AWS host: one per Fargate task or AgentCore endpoint serving a version,
 * reached through its gateway socket (`address`). Every status change tells the routers, as the local host does.
 */
export class RemoteRows {
  constructor(
    readonly host: "fargate" | "agentcore",
    readonly node: string,
  ) {}

  active(route: RouteKey, versionId?: string): Promise<InstanceRow[]> {
    return activeInstanceRows(route, { versionId, host: this.host });
  }

  async insert(route: RouteKey, versionId: string, reason: string): Promise<InstanceRow> {
    const db = await getDb();
    const [row] = await db
      .insert(deploymentInstances)
      .values({ ...route, host: this.host, versionId, node: this.node, status: "starting", reason })
      .returning();
    if (!row) throw new Error("instance insert returned nothing");
    return row;
  }

  /** Records the first health check of a started instance: it serves once healthy. */
  serve(row: InstanceRow, address: string, first: HealthResult): Promise<InstanceRow[]> {
    return this.mark(row, {
      address,
      status: first.ok ? "healthy" : "unhealthy",
      consecutiveFailures: first.ok ? 0 : 1,
      lastCheckAt: new Date(),
      lastCheckMessage: first.message,
    });
  }

  /** Updates a row (only while it is active, when `onlyActive`) and tells the routers. */
  mark(row: InstanceRow, set: Partial<InstanceRow>, onlyActive = false): Promise<InstanceRow[]> {
    return markInstance(row, set, onlyActive);
  }

  end(row: InstanceRow, status: "stopped" | "failed", reason: string): Promise<InstanceRow[]> {
    return this.mark(row, { status, reason, stoppedAt: new Date() }, true);
  }

  /**
   * One health check of every active row through its gateway: `gone` says why an instance no longer exists on AWS
   * (a stopped task); otherwise `failureThreshold` failed checks in a row fail it. Failed rows are returned failed.
   */
  async check(
    route: RouteKey,
    health: HealthSettings,
    gone: (row: InstanceRow) => Promise<string | null>,
  ): Promise<InstanceRow[]> {
    const rows = await this.active(route);
    return Promise.all(
      rows.map(async (row) => {
        if (!row.address) return row;
        const lost = await gone(row);
        const r = lost ? null : await checkHealth(row.address, health.path, health.timeoutMs);
        const failures = r?.ok ? 0 : row.consecutiveFailures + 1;
        const failed = !!lost || failures >= health.failureThreshold;
        const status = failed ? "failed" : row.status === "draining" ? "draining" : r?.ok ? "healthy" : "unhealthy";
        const set: Partial<InstanceRow> = {
          status,
          consecutiveFailures: failures,
          lastCheckAt: new Date(),
          lastCheckMessage: lost ?? r?.message ?? null,
          ...(failed ? { reason: lost ?? `${failures} health checks failed in a row`, stoppedAt: new Date() } : {}),
        };
        if (status !== row.status) await this.mark(row, set, true);
        else await (await getDb()).update(deploymentInstances).set(set).where(eq(deploymentInstances.id, row.id));
        return { ...row, ...set } as InstanceRow;
      }),
    );
  }
}

/** Polls `probe` until it returns a value, or throws `what` with the last state after `timeoutMs`. */
export async function pollUntil<T>(
  probe: () => Promise<{ done: T } | { state: string }>,
  timeoutMs: number,
  what: string,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let delay = 50;
  let last = "unknown";
  for (;;) {
    const r = await probe();
    if ("done" in r) return r.done;
    last = r.state;
    if (Date.now() + delay > deadline) throw new Error(`${what} within ${Math.round(timeoutMs / 1000)} s (${last})`);
    await new Promise((res) => setTimeout(res, delay));
    delay = Math.min(delay * 2, 1_000);
  }
}
