import "server-only";
import { sql } from "drizzle-orm";
import PgBoss from "pg-boss";
import type { Database, Tx } from "@/db/client";
import { env } from "@/lib/env";
import { ensureExecuteQueues } from "@/lib/runtime/execute/queue-defs";
import { ensureScheduleQueues } from "@/lib/schedule-queues";

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

/**
 * pg-boss's statements on the connection of a drizzle transaction. They reuse a parameter in places that need
 * different types (`right($5, 1)`, `CAST($5 AS timestamptz)`), so they cannot become drizzle SQL (one parameter
 * per occurrence, each typed on its own): they go to the transaction's client as they are. Every driver's
 * transaction session holds its client (node-postgres and Neon a pooled client, PGlite its transaction).
 */
export function txDb(tx: Tx): QueueDb {
  const client = (
    tx as unknown as { session: { client: { query(text: string, values?: unknown[]): Promise<{ rows: unknown[] }> } } }
  ).session.client;
  return { executeSql: (text, values) => client.query(text, values) };
}

export interface BossOptions {
  /** Let pg-boss expire stuck jobs and retry them (a controller that died mid-step). */
  supervise?: boolean;
  maintenanceIntervalSeconds?: number;
  /** Run pg-boss's cron (the scheduled sweeps of lib/schedules.ts); the controller's boss does not. */
  schedule?: boolean;
}

export function createBoss(database: Database, opts: BossOptions = {}): PgBoss {
  const boss = new PgBoss({
    db: { executeSql: (text: string, values: unknown[]) => database.executeSql(text, values) },
    schema: QUEUE_SCHEMA,
    supervise: opts.supervise ?? false,
    maintenanceIntervalSeconds: opts.maintenanceIntervalSeconds ?? 60,
    schedule: opts.schedule ?? false,
    migrate: true,
  });
  return boss;
}

/** Creates our queues where missing (pg-boss creates its schema in `start()`). */
export async function ensureQueues(boss: PgBoss, leaseSeconds: number): Promise<void> {
  const existing = new Set((await boss.getQueues()).map((q) => q.name));
  // A step that outlives its lease belongs to a controller that died: pg-boss expires it and another retries it.
  const queues: PgBoss.Queue[] = [
    { name: STEP_QUEUE, policy: "standard", expireInSeconds: leaseSeconds, retryLimit: 5, retryDelay: 1 },
    // One check per route at a time, and at most one waiting: the chain of checks cannot multiply.
    { name: ROUTE_QUEUE, policy: "stately", expireInSeconds: leaseSeconds, retryLimit: 2, retryDelay: 1 },
  ];
  for (const q of queues) if (!existing.has(q.name)) await boss.createQueue(q.name, q);
}

/**
 * pg-boss's schema and every queue of the app (the controller's, the executions' and the sweeps'), installed without starting
 * workers: `npm run db:migrate` does it, and the test harness once in the migrated snapshot. pg-boss 10 refuses
 * to send to a missing queue, so a process that only enqueues (a web process without EXECUTE_WORKER) needs them.
 */
export async function installQueue(database: Database, leaseSeconds: number): Promise<void> {
  const boss = createBoss(database);
  boss.on("error", () => {});
  await boss.start();
  try {
    await ensureQueues(boss, leaseSeconds);
    await ensureExecuteQueues(boss);
    await ensureScheduleQueues(boss);
  } finally {
    await boss.stop({ graceful: false, close: false });
  }
}

const schemaReady = new WeakMap<Database, Promise<void>>();

/**
 * `installQueue` once per database and process, awaited before any of this process's bosses starts (the
 * controller, the execution worker, the schedules). Started side by side on a database without pg-boss's schema,
 * each boss would find it missing and run the install script; the losers' scripts fail ("type already exists"),
 * and on PGlite's one connection a failed script leaves the session's transaction aborted for every later query.
 */
export function queueSchemaReady(database: Database): Promise<void> {
  let ready = schemaReady.get(database);
  if (!ready) {
    ready = installQueue(database, env().DEPLOY_LEASE_S);
    ready.catch(() => schemaReady.delete(database));
    schemaReady.set(database, ready);
  }
  return ready;
}

/**
 * A started boss for a long-running consumer (the controller, the execution worker, the schedules): the queue
 * schema installed once, queue errors reported to `onError` rather than thrown at the process.
 */
export async function startBoss(database: Database, opts: BossOptions, onError: (err: Error) => void): Promise<PgBoss> {
  await queueSchemaReady(database);
  const boss = createBoss(database, opts);
  boss.on("error", onError);
  await boss.start();
  return boss;
}

/** Takes no more jobs and waits (up to 30 s) for the running ones: what a consumer's stop does first. */
export async function stopBoss(boss: PgBoss | undefined): Promise<void> {
  await boss?.stop({ graceful: true, wait: true, timeout: 30_000, close: false });
}

/**
 * A consumer's timers: `in` has its workers fetch a little after a job falls due (pg-boss fetches jobs whose
 * start_after is strictly past) rather than at their next poll, `every` runs a periodic sweep; `clear` ends them all.
 */
export class Wakeups {
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(private readonly boss: () => PgBoss | undefined) {}

  in(ms: number, workers: readonly string[]): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      for (const id of workers) this.boss()?.notifyWorker(id);
    }, ms + 20);
    timer.unref();
    this.timers.add(timer);
  }

  every(ms: number, run: () => void): void {
    const timer = setInterval(run, ms);
    timer.unref();
    this.timers.add(timer);
  }

  clear(): void {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }
}

/** Sends jobs inside a caller's transaction only (its own database handle is never used). */
export const sender = new PgBoss({
  db: {
    executeSql: () => Promise.reject(new Error("the sender sends only inside a transaction (txDb)")),
  },
  schema: QUEUE_SCHEMA,
  supervise: false,
  schedule: false,
});

/** Wakes the controllers' step workers when a step is due now (NOTIFY is delivered on commit). */
export const WAKE_CHANNEL = "deployment_steps";

/** A route check now, from inside a transaction (after an owner's action changed the route's traffic). */
export async function sendRouteCheck(tx: Tx, agentId: string, environment: string): Promise<void> {
  const data: RouteJob = { agent_id: agentId, environment };
  await sender.send(ROUTE_QUEUE, data, { db: txDb(tx), singletonKey: routeCheckKey(agentId, environment, true) });
  await tx.execute(sql`SELECT pg_notify(${WAKE_CHANNEL}, ${agentId})`);
}

/**
 * Route checks are stately per key (one waiting, one running): the chain of regular checks uses one key, checks
 * asked for now another, so an urgent check is not swallowed by the next regular one waiting its turn.
 */
export function routeCheckKey(agentId: string, environment: string, now: boolean): string {
  return `${agentId}:${environment}${now ? ":now" : ""}`;
}

export async function sendStep(tx: Tx, deploymentId: string, tick: number, seconds: number): Promise<void> {
  const data: StepJob = { deployment_id: deploymentId, tick };
  await sender.send(STEP_QUEUE, data, { db: txDb(tx), ...(seconds > 0 ? { startAfter: seconds } : {}) });
  if (seconds <= 0) await tx.execute(sql`SELECT pg_notify(${WAKE_CHANNEL}, ${deploymentId})`);
}
