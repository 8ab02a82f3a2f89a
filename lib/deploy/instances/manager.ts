import "server-only";
import { randomBytes } from "node:crypto";
import os from "node:os";
import { and, asc, eq, inArray, sql } from "drizzle-orm";
import { getDb } from "@/db/client";
import { agents, deploymentInstances } from "@/db/schema";
import { env } from "@/lib/env";
import { log } from "@/lib/log";
import { refusalOf } from "@/lib/runtime/env-policy";
import { secretValues } from "@/lib/runtime/secrets/store";
import { notifyRouteChanged } from "../routes";
import type { Environment } from "../types";
import { versionFiles } from "./files";
import { checkHealth } from "./health";
import { sandboxHost, type InstanceHost, type RunningInstance } from "./host";
import { whenIdle } from "./load";
import { LocalInstances } from "./local";
import { ACTIVE_STATUSES, type HealthSettings, type InstanceRow, type RouteKey, type VersionRow } from "./settings";

export { ACTIVE_STATUSES, healthSettings } from "./settings";
export type { HealthSettings, InstanceRow, RouteKey, VersionRow } from "./settings";

const DRAIN_TIMEOUT_MS = 10_000;

/** A route's instances that are not stopped or failed, oldest first: of one version, of one host, or all. */
export async function activeInstanceRows(
  route: RouteKey,
  only: { versionId?: string; host?: InstanceRow["host"] } = {},
): Promise<InstanceRow[]> {
  const db = await getDb();
  return db
    .select()
    .from(deploymentInstances)
    .where(
      and(
        eq(deploymentInstances.agentId, route.agentId),
        eq(deploymentInstances.environment, route.environment),
        only.host ? eq(deploymentInstances.host, only.host) : undefined,
        inArray(deploymentInstances.status, [...ACTIVE_STATUSES]),
        only.versionId ? eq(deploymentInstances.versionId, only.versionId) : undefined,
      ),
    )
    .orderBy(asc(deploymentInstances.startedAt));
}

/**
 * A version's instances on this host: bubblewrap sandboxes this process started (the `node` column names the
 * process), their rows in deployment_instances, health checks through their sockets, starting replacements and
 * stopping extras. Sandboxes end with the process that started them, so rows of another node are only checked
 * and marked; a node's own sandboxes are stopped by that node.
 */
export class InstanceManager {
  readonly node = `${os.hostname()}:${process.pid}:${randomBytes(4).toString("hex")}`;
  private readonly local = new LocalInstances();
  private readonly locks = new Map<string, Promise<unknown>>();

  constructor(
    private readonly host: InstanceHost = sandboxHost,
    private readonly readyTimeoutMs = 15_000,
  ) {}

  /** Runs `fn` alone for this route in this process, so two changes of one route's instances never interleave. */
  private exclusive<T>(route: RouteKey, fn: () => Promise<T>): Promise<T> {
    const key = `${route.agentId}:${route.environment}`;
    const run = (this.locks.get(key) ?? Promise.resolve()).then(fn, fn);
    const settled = run.catch(() => {});
    this.locks.set(key, settled);
    void settled.then(() => {
      if (this.locks.get(key) === settled) this.locks.delete(key);
    });
    return run;
  }

  activeInstances(route: RouteKey, versionId?: string): Promise<InstanceRow[]> {
    return activeInstanceRows(route, { versionId });
  }

  /**
   * Brings a version to `count` instances that are not failing: starts the missing ones here (each answers /ping
   * before it counts), drains and stops the extras (newest first). Returns how many serve afterwards and why any
   * start failed.
   */
  async ensure(
    route: RouteKey,
    version: VersionRow,
    count: number,
    health: HealthSettings,
  ): Promise<{ serving: number; started: number; stopped: number; errors: string[] }> {
    return this.exclusive(route, async () => {
      const rows = (await this.activeInstances(route, version.id)).filter((r) => r.status !== "draining");
      const errors: string[] = [];
      let started = 0;
      if (rows.length < count) {
        const results = await Promise.allSettled(
          Array.from({ length: count - rows.length }, () => this.startOne(route, version, health)),
        );
        for (const r of results) {
          if (r.status === "fulfilled") started += 1;
          else errors.push((r.reason as Error).message);
        }
      }
      const extra = rows.length > count ? rows.slice(count - rows.length).reverse() : [];
      await Promise.all(extra.map((r) => this.retire(r, "no longer needed")));
      return { serving: Math.min(rows.length, count) + started, started, stopped: extra.length, errors };
    });
  }

  private async startOne(route: RouteKey, version: VersionRow, health: HealthSettings): Promise<InstanceRow> {
    const db = await getDb();
    const [row] = await db
      .insert(deploymentInstances)
      .values({ ...route, versionId: version.id, node: this.node, status: "starting" })
      .returning();
    if (!row) throw new Error("instance insert returned nothing");
    // Counted after the insert, so that two starts racing for the last place cannot both take it.
    const limit = env().DEPLOY_LOCAL_MAX_INSTANCES;
    const [count] = await db
      .select({ n: sql<number>`count(*)::int` })
      .from(deploymentInstances)
      .where(and(eq(deploymentInstances.host, "local"), inArray(deploymentInstances.status, [...ACTIVE_STATUSES])));
    if (Number(count?.n) > limit) {
      const reason = `the local host already runs its maximum of ${limit} instances`;
      await this.mark(row, { status: "failed", reason, stoppedAt: new Date() });
      throw new Error(reason);
    }
    let running: RunningInstance;
    try {
      const [agent] = await db.select({ name: agents.name }).from(agents).where(eq(agents.id, route.agentId));
      const secrets = await secretValues(db, route.agentId);
      const env: Record<string, string> = {};
      for (const [k, v] of Object.entries(secrets)) if (refusalOf(k) === null) env[k] = v;
      Object.assign(env, { AGENT_ID: route.agentId, AGENT_NAME: agent?.name ?? "", AGENT_VERSION: version.version });
      running = await this.host.start({
        id: `inst-${row.id}`,
        files: await versionFiles(version),
        env,
        memoryMb: version.configuration.memory_limit,
        readyTimeoutMs: this.readyTimeoutMs,
      });
    } catch (err) {
      const reason = `could not start: ${(err as Error).message}`;
      await this.mark(row, { status: "failed", reason, stoppedAt: new Date() });
      throw new Error(reason);
    }
    const local = this.local.add(
      row.id,
      { ...route, versionId: version.id },
      running,
      version.configuration.memory_limit,
    );
    void running.exited.then(async (reason) => {
      this.local.forget(row.id);
      if (local.stopping) return;
      log().warn({ instance: row.id, reason }, "a deployed instance ended");
      await this.mark(row, { status: "failed", reason: `process ended: ${reason}`, stoppedAt: new Date() }, true).catch(
        () => {},
      );
    });
    const first = await checkHealth(running.address, health.path, health.timeoutMs);
    const [updated] = await this.mark(row, {
      address: running.address,
      status: first.ok ? "healthy" : "unhealthy",
      consecutiveFailures: first.ok ? 0 : 1,
      lastCheckAt: new Date(),
      lastCheckMessage: first.message,
    });
    return updated ?? row;
  }

  private mark(row: InstanceRow, set: Partial<InstanceRow>, onlyActive = false): Promise<InstanceRow[]> {
    return markInstance(row, set, onlyActive);
  }

  /** Takes an instance out of the routers, lets its calls finish, then stops it (here, or marks it for its node). */
  async retire(row: InstanceRow, reason: string, status: "stopped" | "failed" = "stopped"): Promise<void> {
    await this.mark(row, { status: "draining", reason }, true);
    await this.local.stop(row.id, () => whenIdle(row.id, DRAIN_TIMEOUT_MS));
    await this.mark(row, { status, reason, stoppedAt: new Date() });
  }

  /**
   * Checks every instance of the route once: a 2xx on the health path resets its failures, anything else counts
   * one; at `failureThreshold` in a row (or when its process is gone) it is failed and stopped, so the next
   * `ensure` replaces it. Also stops this node's sandboxes whose rows another node marked stopped.
   */
  async check(route: RouteKey, health: HealthSettings): Promise<InstanceRow[]> {
    await this.stopOrphans();
    const rows = await this.activeInstances(route);
    return Promise.all(
      rows.map(async (row) => {
        if (!row.address) {
          // Still starting: only a start of a node that is gone stays like this.
          const stale = row.node !== this.node && Date.now() - row.startedAt.getTime() > this.readyTimeoutMs * 2;
          if (!stale) return row;
          await this.mark(row, { status: "failed", reason: "never started (its node is gone)", stoppedAt: new Date() });
          return { ...row, status: "failed" as const };
        }
        const r = await checkHealth(row.address, health.path, health.timeoutMs);
        const failures = r.ok ? 0 : row.consecutiveFailures + 1;
        const gone = !r.ok && /ENOENT|ECONNREFUSED/.test(r.message);
        const failed = failures >= health.failureThreshold || gone;
        const status = failed ? "failed" : row.status === "draining" ? "draining" : r.ok ? "healthy" : "unhealthy";
        const set: Partial<InstanceRow> = {
          status,
          consecutiveFailures: failures,
          lastCheckAt: new Date(),
          lastCheckMessage: r.message,
          ...(failed
            ? {
                reason: gone ? "its process is gone" : `${failures} health checks failed in a row`,
                stoppedAt: new Date(),
              }
            : {}),
        };
        const changed = status !== row.status;
        const db = await getDb();
        if (changed) await this.mark(row, set, true);
        else await db.update(deploymentInstances).set(set).where(eq(deploymentInstances.id, row.id));
        if (failed) await this.local.stop(row.id);
        else this.local.sampleUsage(row.id);
        return { ...row, ...set } as InstanceRow;
      }),
    );
  }

  /** This node's sandboxes whose rows say they should not run (stopped by another node, or failed). */
  private async stopOrphans(): Promise<void> {
    if (this.local.size === 0) return;
    const db = await getDb();
    const rows = await db
      .select({ id: deploymentInstances.id, status: deploymentInstances.status })
      .from(deploymentInstances)
      .where(inArray(deploymentInstances.id, this.local.ids()));
    for (const r of rows) if (!(ACTIVE_STATUSES as readonly string[]).includes(r.status)) await this.local.stop(r.id);
  }

  /** Stops every sandbox of this node and marks their rows stopped (the app is shutting down). */
  async stopAll(reason = "the controller stopped"): Promise<void> {
    const ids = await this.local.stopAll();
    if (ids.length === 0) return;
    const db = await getDb();
    await db.transaction(async (tx) => {
      const rows = await tx
        .update(deploymentInstances)
        .set({ status: "stopped", reason, stoppedAt: new Date() })
        .where(and(inArray(deploymentInstances.id, ids), inArray(deploymentInstances.status, [...ACTIVE_STATUSES])))
        .returning({ agentId: deploymentInstances.agentId, environment: deploymentInstances.environment });
      const routes = new Set(rows.map((r) => `${r.agentId}|${r.environment}`));
      for (const key of routes) {
        const [agentId, environment] = key.split("|") as [string, Environment];
        await notifyRouteChanged(tx, agentId, environment);
      }
    });
    log().info({ node: this.node, stopped: ids.length }, "stopped this node's deployed instances");
  }
}

/** Updates an instance row (only while it is active, when `onlyActive`) and tells the routers: every host's rows. */
export async function markInstance(
  row: InstanceRow,
  set: Partial<InstanceRow>,
  onlyActive = false,
): Promise<InstanceRow[]> {
  const db = await getDb();
  return db.transaction(async (tx) => {
    const out = await tx
      .update(deploymentInstances)
      .set(set)
      .where(
        and(
          eq(deploymentInstances.id, row.id),
          onlyActive ? inArray(deploymentInstances.status, [...ACTIVE_STATUSES]) : undefined,
        ),
      )
      .returning();
    await notifyRouteChanged(tx, row.agentId, row.environment);
    return out;
  });
}
