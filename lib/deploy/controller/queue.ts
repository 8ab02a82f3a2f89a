import "server-only";
import { sql, type SQL } from "drizzle-orm";
import PgBoss from "pg-boss";
import type { Database, Tx } from "@/db/client";

/**
 * The controller's job queue: pg-boss on the app's own database (PGlite too), through `Database.executeSql`, so it
 * needs no second pool and no URL. Jobs are sent inside the caller's drizzle transaction (`txDb`), so a deployment
 * and its next step commit together or not at all.
 */

export const QUEUE_SCHEMA = "pgboss";
/** One step of one deployment: `{ deployment_id, tick }` (a tick that no longer matches the row is stale). */
export const STEP_QUEUE = "deployment-step";
/** Health checks, replacement and scaling of one route's instances: `{ agent_id, environment }`. */
export const ROUTE_QUEUE = "route-check";

export interface StepJob {
  deployment_id: string;
  tick: number;
}
export interface RouteJob {
  agent_id: string;
  environment: string;
}

type QueueDb = { executeSql(text: string, values?: unknown[]): Promise<{ rows: unknown[] }> };

/** pg-boss speaks `$1`-style SQL; a drizzle transaction takes SQL objects: each placeholder becomes a parameter. */
export function txDb(tx: Tx): QueueDb {
  return {
    async executeSql(text, values = []) {
      const parts: SQL[] = [];
      let last = 0;
      for (const m of text.matchAll(/\$(\d+)/g)) {
        parts.push(sql.raw(text.slice(last, m.index)));
        parts.push(sql`${values[Number(m[1]) - 1] ?? null}`);
        last = m.index + m[0].length;
      }
      parts.push(sql.raw(text.slice(last)));
      return (await tx.execute(sql.join(parts))) as unknown as { rows: unknown[] };
    },
  };
}

export interface BossOptions {
  /** Let pg-boss expire stuck jobs and retry them (a controller that died mid-step). */
  supervise?: boolean;
  maintenanceIntervalSeconds?: number;
}

export function createBoss(database: Database, opts: BossOptions = {}): PgBoss {
  const boss = new PgBoss({
    db: { executeSql: (text: string, values: unknown[]) => database.executeSql(text, values) },
    schema: QUEUE_SCHEMA,
    supervise: opts.supervise ?? false,
    maintenanceIntervalSeconds: opts.maintenanceIntervalSeconds ?? 60,
    schedule: false,
    migrate: true,
  });
  return boss;
}

/**
 * Creates pg-boss's schema and our queues (idempotent). The controller does it at start; the test harness does it
 * once in the migrated snapshot so that test files do not pay for it.
 */
export async function installQueue(database: Database, leaseSeconds: number): Promise<void> {
  const boss = createBoss(database);
  boss.on("error", () => {});
  await boss.start();
  try {
    const existing = new Set((await boss.getQueues()).map((q) => q.name));
    // A step that outlives its lease belongs to a controller that died: pg-boss expires it and another retries it.
    const queues: PgBoss.Queue[] = [
      { name: STEP_QUEUE, policy: "standard", expireInSeconds: leaseSeconds, retryLimit: 5, retryDelay: 1 },
      { name: ROUTE_QUEUE, policy: "stately", expireInSeconds: leaseSeconds, retryLimit: 2, retryDelay: 1 },
    ];
    for (const q of queues) if (!existing.has(q.name)) await boss.createQueue(q.name, q);
  } finally {
    await boss.stop({ graceful: false, close: false });
  }
}
