import {
  bigint,
  doublePrecision,
  index,
  integer,
  pgTable,
  primaryKey,
  type ExtraConfigColumn,
} from "drizzle-orm/pg-core";
import { instant } from "./columns";
import { versionTarget } from "./deployments";

/**
 * Calls through the router, rolled up per agent, environment, version and bucket: one table per bucket size the
 * metrics API answers in (1m, 5m, 1h, 1d), all written by the same flush (lib/metrics/recorder.ts), so a query at any
 * granularity reads one row per bucket and version, and 30 days read 30 day rows rather than 43,200 minutes.
 * `hist` is a fixed log-bucket latency histogram (lib/metrics/histogram.ts): buckets add up, so a percentile over any
 * window is exact to the bucket; p50/p95/p99 are kept per row, read from its own histogram.
 */
function rollupColumns() {
  return {
    ...versionTarget("cascade"),
    bucketStart: instant().notNull(),
    calls: integer().notNull().default(0),
    errors: integer().notNull().default(0),
    timeouts: integer().notNull().default(0),
    latencySumMs: bigint({ mode: "number" }).notNull().default(0),
    bytesIn: bigint({ mode: "number" }).notNull().default(0),
    bytesOut: bigint({ mode: "number" }).notNull().default(0),
    hist: integer().array().notNull(),
    p50Ms: doublePrecision().notNull().default(0),
    p95Ms: doublePrecision().notNull().default(0),
    p99Ms: doublePrecision().notNull().default(0),
    /** Host resource samples: sums of utilizations (0-1) and how many samples, peak bytes. */
    resourceSamples: integer().notNull().default(0),
    cpuUtilizationSum: doublePrecision().notNull().default(0),
    memoryUtilizationSum: doublePrecision().notNull().default(0),
    memoryBytesMax: bigint({ mode: "number" }).notNull().default(0),
    diskBytesMax: bigint({ mode: "number" }).notNull().default(0),
  };
}

type Cols = Record<keyof ReturnType<typeof rollupColumns>, ExtraConfigColumn>;

/**
 * The primary key, and a covering index in time order with every column the series read except the histograms
 * (and byte counts): the series query is an index-only scan of narrow entries in bucket order (no sort, no heap),
 * while `hist` (most of a row's bytes) is read only where percentiles must be merged.
 */
function rollupIndexes(name: string, t: Cols) {
  return [
    primaryKey({ columns: [t.agentId, t.environment, t.versionId, t.bucketStart] }),
    index(`${name}_series_idx`).on(
      t.agentId,
      t.bucketStart,
      t.environment,
      t.versionId,
      t.calls,
      t.errors,
      t.timeouts,
      t.latencySumMs,
      t.p50Ms,
      t.p95Ms,
      t.p99Ms,
      t.resourceSamples,
      t.cpuUtilizationSum,
      t.memoryUtilizationSum,
      t.memoryBytesMax,
      t.diskBytesMax,
    ),
  ];
}

export const callRollups = pgTable("call_rollups", rollupColumns(), (t) => [
  ...rollupIndexes("call_rollups", t),
  // The platform's last minutes, all agents together (system health): rows arrive in time order, so a BRIN index
  // finds them for a few pages of index at no cost to the writes.
  index("call_rollups_time_brin").using("brin", t.bucketStart),
]);

export const callRollups5m = pgTable("call_rollups_5m", rollupColumns(), (t) => [
  ...rollupIndexes("call_rollups_5m", t),
]);

export const callRollupsHourly = pgTable("call_rollups_hourly", rollupColumns(), (t) => [
  ...rollupIndexes("call_rollups_hourly", t),
]);

export const callRollupsDaily = pgTable("call_rollups_daily", rollupColumns(), (t) => [
  ...rollupIndexes("call_rollups_daily", t),
]);
