import "server-only";
import { and, getTableColumns, inArray, ne, sql } from "drizzle-orm";
import { getDatabase, getDb } from "@/db/client";
import { executions } from "@/db/schema";
import { env } from "@/lib/env";
import { timeoutExecution } from "./executions";
import { syncFargateLogs } from "./hosts/fargate-logs";
import { hosts } from "./hosts/index";
import { applyObservation } from "./lifecycle";
import { keyRing } from "./secrets/crypto";
import { LIVE_STATUSES, type ExecutionRow, type Observation } from "./types";
import { log } from "@/lib/log";

// Any constant works; it only has to be the same in every app process sharing the database.
const RECONCILER_LOCK = 7_311_920_442;
const APPLY_CONCURRENCY = 8;

export interface SweepResult {
  /** Another sweep held the lock (in this process or another one sharing the database). */
  skipped: boolean;
  live: number;
  changed: number;
  timedOut: number;
  describeCalls: number;
  throttled: number;
  failedBatches: number;
  /** Container output lines of Fargate runs read from CloudWatch Logs in this sweep. */
  logLines: number;
  durationMs: number;
}

const globalForSweep = globalThis as unknown as { __reconcileRunning?: boolean; __reconciler?: { stop(): void } };

/**
 * One reconciliation sweep: loads every live execution, asks each host about them in batches (Fargate: one
 * DescribeTasks per 100 tasks per cluster), records what changed and stops overdue executions.
 * Only one sweep runs at a time across processes: a transaction-scoped advisory lock (PGlite serves one
 * process, so an in-process flag is enough there).
 */
export async function reconcileOnce(): Promise<SweepResult> {
  const empty: SweepResult = { ...emptyCounts(), skipped: true };
  if (globalForSweep.__reconcileRunning) return empty;
  globalForSweep.__reconcileRunning = true;
  try {
    const database = await getDatabase();
    if (database.driver === "pglite") return await sweep();
    // The lock transaction only holds the lock; the sweep's own writes use other pooled connections.
    return await database.db.transaction(async (tx) => {
      const res = (await tx.execute(sql`SELECT pg_try_advisory_xact_lock(${RECONCILER_LOCK}) AS ok`)) as unknown as {
        rows: { ok: boolean }[];
      };
      if (!res.rows[0]?.ok) return empty;
      return sweep();
    });
  } finally {
    globalForSweep.__reconcileRunning = false;
  }
}

async function sweep(): Promise<SweepResult> {
  const started = performance.now();
  const db = await getDb();
  // Everything but the input: 10,000 live executions must not drag 10,000 inputs into memory.
  const { input: _input, ...columns } = getTableColumns(executions);
  const live = (
    await db
      .select(columns)
      .from(executions)
      // Deployed executions have no process to watch: their worker keeps them current (lib/runtime/execute).
      .where(and(inArray(executions.status, [...LIVE_STATUSES]), ne(executions.host, "deployed")))
  ).map((r) => ({ ...r, input: {} })) as ExecutionRow[];
  const result: SweepResult = { ...emptyCounts(), live: live.length };

  const now = Date.now();
  const overdue = live.filter((r) => now - r.startTime.getTime() > r.timeoutS * 1000);
  for (const row of overdue) if (await timeoutExecution(row.id)) result.timedOut++;
  const current = live.filter((r) => !overdue.includes(r));

  const { local, fargate } = hosts();
  const changes: [string, Observation][] = [];
  for (const [host, rows] of [
    [local, current.filter((r) => r.host === "local")],
    [fargate, current.filter((r) => r.host === "fargate")],
  ] as const) {
    if (rows.length === 0) continue;
    try {
      changes.push(...(await host.describe(rows)));
    } catch (err) {
      log().error({ err, host: host.kind }, "reconciler: describe failed");
    }
  }
  result.describeCalls = fargate.lastDescribe.calls;
  result.throttled = fargate.lastDescribe.throttled;
  result.failedBatches = fargate.lastDescribe.failedBatches;
  fargate.lastDescribe = { calls: 0, throttled: 0, failedBatches: 0 };

  let next = 0;
  const worker = async () => {
    while (next < changes.length) {
      const [id, obs] = changes[next++] as [string, Observation];
      try {
        if (await applyObservation(id, obs)) result.changed++;
      } catch (err) {
        log().error({ err, execution: id, status: obs.status }, "reconciler: could not record a status");
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(APPLY_CONCURRENCY, changes.length) }, worker));
  // After the status changes: a run that just ended gets its last lines in the same sweep.
  result.logLines = await syncFargateLogs().catch((err: unknown) => {
    log().error({ err }, "reconciler: reading container logs failed");
    return 0;
  });
  result.durationMs = performance.now() - started;
  return result;
}

function emptyCounts(): SweepResult {
  return {
    skipped: false,
    live: 0,
    changed: 0,
    timedOut: 0,
    describeCalls: 0,
    throttled: 0,
    failedBatches: 0,
    logLines: 0,
    durationMs: 0,
  };
}

/**
 * Starts the background reconciler (once per process): a sweep right away — the startup reconciliation that
 * re-attaches to or settles executions left live by a previous app process — then one every
 * RECONCILE_INTERVAL_MS, backing off (up to a minute) while ECS throttles or the database is unreachable.
 */
export function startReconciler(opts: { intervalMs?: number } = {}): () => void {
  if (globalForSweep.__reconciler) return globalForSweep.__reconciler.stop;
  // At start (instrumentation.ts): production refuses to run without SECRETS_KEY; development creates its key
  // under .data/ now rather than at the first secret.
  keyRing();
  const interval = opts.intervalMs ?? env().RECONCILE_INTERVAL_MS;
  let delay = interval;
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const tick = async () => {
    try {
      const r = await reconcileOnce();
      delay = r.throttled > 0 || r.failedBatches > 0 ? Math.min(delay * 2, 60_000) : interval;
    } catch (err) {
      log().error({ err }, "reconciler sweep failed");
      delay = Math.min(delay * 2, 60_000);
    }
    if (!stopped) {
      timer = setTimeout(() => void tick(), delay);
      timer.unref();
    }
  };
  timer = setTimeout(() => void tick(), 0);
  timer.unref();
  const stop = () => {
    stopped = true;
    if (timer) clearTimeout(timer);
    globalForSweep.__reconciler = undefined;
  };
  globalForSweep.__reconciler = { stop };
  return stop;
}
