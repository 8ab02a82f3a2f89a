import "server-only";
import { getTableName, sql } from "drizzle-orm";
import { getDb } from "@/db/client";
import { callRollups, callRollups5m, callRollupsDaily, callRollupsHourly } from "@/db/schema";
import type { Environment } from "@/lib/deploy/types";
import { env } from "@/lib/env";
import { log, safeError } from "@/lib/log";
import { emptyHistogram, merge, quantile, record, type Histogram } from "./histogram";

/**
 * Every call through the router and every host resource sample lands here: buffered per agent, environment,
 * version and minute in this process, and written every METRICS_FLUSH_MS as one upsert into each rollup table:
 * call_rollups (minutes), call_rollups_5m, call_rollups_hourly and call_rollups_daily, in one transaction, so a query
 * at any granularity reads rows already merged to its bucket size. The upsert adds counts and histograms inside the database (hist_add), so several
 * processes may flush the same minute; a failed flush puts its buckets back, nothing is lost.
 */

export interface CallSample {
  agentId: string;
  environment: Environment;
  versionId: string;
  latencyMs: number;
  outcome: "ok" | "error" | "timeout";
  bytesIn: number;
  bytesOut: number;
  at?: Date;
}

export interface UsageSample {
  agentId: string;
  environment: Environment;
  versionId: string;
  /** 0-1 of the instance's CPU allowance */
  cpuUtilization: number;
  /** 0-1 of the version's memory_limit */
  memoryUtilization: number;
  memoryBytes: number;
  diskBytes: number;
  at?: Date;
}

interface Bucket {
  agentId: string;
  environment: Environment;
  versionId: string;
  start: Date;
  calls: number;
  errors: number;
  timeouts: number;
  latencySumMs: number;
  bytesIn: number;
  bytesOut: number;
  hist: Histogram;
  resourceSamples: number;
  cpuUtilizationSum: number;
  memoryUtilizationSum: number;
  memoryBytesMax: number;
  diskBytesMax: number;
}

const MINUTE = 60_000;

/** Each rollup table and its bucket size; the minute buckets of a flush are added into each. */
const TABLES = [
  [callRollups, MINUTE],
  [callRollups5m, 5 * MINUTE],
  [callRollupsHourly, 60 * MINUTE],
  [callRollupsDaily, 1440 * MINUTE],
] as const;
type RollupTable = (typeof TABLES)[number][0];

let pending = new Map<string, Bucket>();
let timer: NodeJS.Timeout | undefined;
let flushing: Promise<void> | undefined;
const health = { lastFlushAt: null as Date | null, lastError: null as string | null };

function bucketFor(
  s: { agentId: string; environment: Environment; versionId: string; at?: Date },
  into = pending,
  span = MINUTE,
): Bucket {
  const start = new Date(Math.floor((s.at ?? new Date()).getTime() / span) * span);
  const key = `${s.agentId}|${s.environment}|${s.versionId}|${start.getTime()}`;
  let b = into.get(key);
  if (!b) {
    b = {
      agentId: s.agentId,
      environment: s.environment,
      versionId: s.versionId,
      start,
      calls: 0,
      errors: 0,
      timeouts: 0,
      latencySumMs: 0,
      bytesIn: 0,
      bytesOut: 0,
      hist: emptyHistogram(),
      resourceSamples: 0,
      cpuUtilizationSum: 0,
      memoryUtilizationSum: 0,
      memoryBytesMax: 0,
      diskBytesMax: 0,
    };
    into.set(key, b);
  }
  return b;
}

function schedule(): void {
  if (timer) return;
  timer = setTimeout(() => {
    timer = undefined;
    void flushMetrics();
  }, env().METRICS_FLUSH_MS);
  timer.unref();
}

export function recordCall(s: CallSample): void {
  const b = bucketFor(s);
  b.calls += 1;
  if (s.outcome === "error") b.errors += 1;
  if (s.outcome === "timeout") b.timeouts += 1;
  const ms = Math.max(0, s.latencyMs);
  b.latencySumMs += ms;
  b.bytesIn += s.bytesIn;
  b.bytesOut += s.bytesOut;
  record(b.hist, ms);
  schedule();
}

export function recordUsage(s: UsageSample): void {
  const b = bucketFor(s);
  b.resourceSamples += 1;
  b.cpuUtilizationSum += s.cpuUtilization;
  b.memoryUtilizationSum += s.memoryUtilization;
  b.memoryBytesMax = Math.max(b.memoryBytesMax, s.memoryBytes);
  b.diskBytesMax = Math.max(b.diskBytesMax, s.diskBytes);
  schedule();
}

function addInto(into: Map<string, Bucket>, b: Bucket, span: number): void {
  const t = bucketFor({ ...b, at: b.start }, into, span);
  t.calls += b.calls;
  t.errors += b.errors;
  t.timeouts += b.timeouts;
  t.latencySumMs += b.latencySumMs;
  t.bytesIn += b.bytesIn;
  t.bytesOut += b.bytesOut;
  merge(t.hist, b.hist);
  t.resourceSamples += b.resourceSamples;
  t.cpuUtilizationSum += b.cpuUtilizationSum;
  t.memoryUtilizationSum += b.memoryUtilizationSum;
  t.memoryBytesMax = Math.max(t.memoryBytesMax, b.memoryBytesMax);
  t.diskBytesMax = Math.max(t.diskBytesMax, b.diskBytesMax);
}

function row(b: Bucket) {
  return {
    agentId: b.agentId,
    environment: b.environment,
    versionId: b.versionId,
    bucketStart: b.start,
    calls: b.calls,
    errors: b.errors,
    timeouts: b.timeouts,
    latencySumMs: Math.round(b.latencySumMs),
    bytesIn: b.bytesIn,
    bytesOut: b.bytesOut,
    hist: b.hist,
    p50Ms: quantile(b.hist, 0.5) ?? 0,
    p95Ms: quantile(b.hist, 0.95) ?? 0,
    p99Ms: quantile(b.hist, 0.99) ?? 0,
    resourceSamples: b.resourceSamples,
    cpuUtilizationSum: b.cpuUtilizationSum,
    memoryUtilizationSum: b.memoryUtilizationSum,
    memoryBytesMax: b.memoryBytesMax,
    diskBytesMax: b.diskBytesMax,
  };
}

/** What an upsert of a bucket into an existing row does: add, merge the histogram, recompute its percentiles. */
function mergeSet(t: RollupTable) {
  // Qualified by the table: unqualified names in ON CONFLICT ... SET would be ambiguous with `excluded`.
  const name = getTableName(t);
  const add = (column: string) => sql.raw(`"${name}"."${column}" + excluded."${column}"`);
  const max = (column: string) => sql.raw(`greatest("${name}"."${column}", excluded."${column}")`);
  const merged = sql.raw(`hist_add("${name}"."hist", excluded."hist")`);
  return {
    calls: add("calls"),
    errors: add("errors"),
    timeouts: add("timeouts"),
    latencySumMs: add("latency_sum_ms"),
    bytesIn: add("bytes_in"),
    bytesOut: add("bytes_out"),
    hist: merged,
    p50Ms: sql`hist_quantile(${merged}, 0.5)`,
    p95Ms: sql`hist_quantile(${merged}, 0.95)`,
    p99Ms: sql`hist_quantile(${merged}, 0.99)`,
    resourceSamples: add("resource_samples"),
    cpuUtilizationSum: add("cpu_utilization_sum"),
    memoryUtilizationSum: add("memory_utilization_sum"),
    memoryBytesMax: max("memory_bytes_max"),
    diskBytesMax: max("disk_bytes_max"),
  };
}

async function write(buckets: Bucket[]): Promise<void> {
  const db = await getDb();
  await db.transaction(async (tx) => {
    for (const [table, span] of TABLES) {
      let rows = buckets;
      if (span !== MINUTE) {
        const coarse = new Map<string, Bucket>();
        for (const b of buckets) addInto(coarse, b, span);
        rows = [...coarse.values()];
      }
      await tx
        .insert(table)
        .values(rows.map(row))
        .onConflictDoUpdate({
          target: [table.agentId, table.environment, table.versionId, table.bucketStart],
          set: mergeSet(table),
        });
    }
  });
}

/** Writes what this process has buffered; concurrent callers share one flush. Resolves once it is in the database. */
export async function flushMetrics(): Promise<void> {
  while (flushing) await flushing;
  if (pending.size === 0) return;
  const batch = pending;
  pending = new Map();
  flushing = write([...batch.values()])
    .then(() => {
      health.lastFlushAt = new Date();
      health.lastError = null;
    })
    .catch((err: unknown) => {
      // Put the buckets back (merging with anything recorded meanwhile) and try again on the next tick.
      for (const b of batch.values()) addInto(pending, b, MINUTE);
      health.lastError = err instanceof Error ? err.message : String(err);
      log().warn({ err: safeError(err), buckets: batch.size }, "metrics flush failed; will retry");
      schedule();
    })
    .finally(() => {
      flushing = undefined;
    });
  await flushing;
}

/** For /api/system/health: when this process last wrote its metrics, the last failure, what waits. */
export function recorderHealth(): { last_flush_at: string | null; last_error: string | null; pending_buckets: number } {
  return {
    last_flush_at: health.lastFlushAt?.toISOString() ?? null,
    last_error: health.lastError,
    pending_buckets: pending.size,
  };
}

export { versionWindowStats, type WindowStats } from "./window-stats";

/**
 * Stops this process's recorder: the flush timer stops, what is still buffered is dropped (call flushMetrics
 * first to keep it) and its health starts over. The next sample starts it again.
 */
export function closeRecorder(): void {
  pending = new Map();
  if (timer) clearTimeout(timer);
  timer = undefined;
  health.lastFlushAt = null;
  health.lastError = null;
}
