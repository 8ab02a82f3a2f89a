import "server-only";
import { sql, type SQL } from "drizzle-orm";
import type { Queryable } from "@/db/client";
import type { Environment } from "@/lib/deploy/types";
import { BUCKETS, quantile } from "./histogram";
import type { BucketColumns } from "./series";

/**
 * The metrics queries, aggregated inside the database. Every granularity has a rollup table of its own bucket size
 * (db/schema/metrics.ts), so a bucket is one row per version and environment. The series come from the tables'
 * covering index (every column but the histograms, in time order: an index-only scan, no sort) as one JSON text of
 * columns (one array per figure, no object per bucket); percentiles travel as integer microseconds, which the
 * database prints and JavaScript parses far faster than doubles. Where a bucket is several rows (several versions
 * or environments), its histograms are added in the database and the percentiles read off the sums, so no
 * histogram crosses the wire and no percentile is ever an average of percentiles.
 */

export type RollupTable = "call_rollups" | "call_rollups_5m" | "call_rollups_hourly" | "call_rollups_daily";

export interface RollupScope {
  agentId: string;
  environment?: Environment;
  versionId?: string;
  /** [from, to) in epoch ms */
  from: number;
  to: number;
}

const at = (ms: number) => sql`${new Date(ms).toISOString()}::timestamptz`;

export function where(s: RollupScope): SQL {
  return sql`agent_id = ${s.agentId} AND bucket_start >= ${at(s.from)} AND bucket_start < ${at(s.to)}
    ${s.environment ? sql`AND environment = ${s.environment}` : sql``}
    ${s.versionId ? sql`AND version_id = ${s.versionId}` : sql``}`;
}

async function columnsOf(db: Queryable, query: SQL): Promise<(number | null)[][] | null> {
  const res = (await db.execute(query)) as unknown as { rows: { columns: string | null }[] };
  const text = res.rows[0]?.columns;
  if (!text) return null;
  const c = JSON.parse(text) as ((number | null)[] | null)[];
  return c[0] === null ? null : (c as (number | null)[][]);
}

const micros = (c: string) => `(${c} * 1000)::int8`;

/**
 * The buckets of `table`'s rows in scope, in time order: sums and peaks (the resource figures only when `usage`).
 * `grouped`: the scope holds several versions or environments, so a bucket may be several rows to add up; a bucket
 * of one row carries that row's stored percentiles, the others null (their histograms are merged by
 * `mergedQuantiles`). Not grouped, every row is a bucket and is read as it stands (no aggregation at all).
 */
export async function bucketColumns(
  db: Queryable,
  table: RollupTable,
  scope: RollupScope,
  grouped: boolean,
  usage: boolean,
): Promise<BucketColumns> {
  const ifUsage = (expr: string) => sql.raw(usage ? expr : "NULL::int");
  const t = sql.identifier(table);
  const rows = grouped
    ? sql`SELECT (date_part('epoch', bucket_start) / 60)::int AS m, sum(calls)::int AS calls,
          sum(errors + timeouts)::int AS failures, sum(latency_sum_ms)::int8 AS latency,
          ${sql.raw(["p50_ms", "p95_ms", "p99_ms"].map((c) => `CASE WHEN count(*) = 1 THEN min(${micros(c)}) END`).join(", "))},
          ${ifUsage("sum(resource_samples)::int")} AS samples, ${ifUsage("sum(cpu_utilization_sum)")} AS cpu,
          ${ifUsage("sum(memory_utilization_sum)")} AS memory, ${ifUsage("max(memory_bytes_max)")} AS memory_max,
          ${ifUsage("max(disk_bytes_max)")} AS disk_max
        FROM ${t} WHERE ${where(scope)} GROUP BY bucket_start ORDER BY bucket_start`
    : sql`SELECT (date_part('epoch', bucket_start) / 60)::int AS m, calls, errors + timeouts AS failures,
          latency_sum_ms AS latency, ${sql.raw(["p50_ms", "p95_ms", "p99_ms"].map(micros).join(", "))},
          ${ifUsage("resource_samples")} AS samples, ${ifUsage("cpu_utilization_sum")} AS cpu,
          ${ifUsage("memory_utilization_sum")} AS memory, ${ifUsage("memory_bytes_max")} AS memory_max,
          ${ifUsage("disk_bytes_max")} AS disk_max
        FROM ${t} WHERE ${where(scope)} ORDER BY bucket_start`;
  const c = await columnsOf(
    db,
    sql`SELECT json_build_array(array_agg(m), array_agg(calls), array_agg(failures), array_agg(latency),
        array_agg(p50), array_agg(p95), array_agg(p99), array_agg(samples), array_agg(cpu), array_agg(memory),
        array_agg(memory_max), array_agg(disk_max))::text AS columns
      FROM (${rows}) AS g(m, calls, failures, latency, p50, p95, p99, samples, cpu, memory, memory_max, disk_max)`,
  );
  const col = (k: number) => (c ? c[k]! : []);
  const ms = (k: number) => col(k).map((v) => (v === null ? null : v / 1000));
  return {
    minute: col(0) as number[],
    calls: col(1) as number[],
    failures: col(2) as number[],
    latencyMs: col(3) as number[],
    p50: ms(4),
    p95: ms(5),
    p99: ms(6),
    samples: usage ? (col(7) as number[]) : null,
    cpu: col(8) as number[],
    memory: col(9) as number[],
    memoryMax: col(10) as number[],
    diskMax: col(11) as number[],
  };
}

/** Buckets past which a series is read in slices, one connection each (a month of minutes is 43,200). */
const SLICE_BUCKETS = 10_000;

/**
 * `bucketColumns` of a long window in consecutive slices read at once, so a server with several cores prints a
 * month of minutes in parallel (slices are whole buckets: a bucket is never split). One query below the threshold.
 */
export async function bucketColumnsSliced(
  db: Queryable,
  table: RollupTable,
  scope: RollupScope,
  spanMs: number,
  grouped: boolean,
  usage: boolean,
): Promise<BucketColumns> {
  const buckets = Math.ceil((scope.to - scope.from) / spanMs);
  const n = Math.min(4, Math.ceil(buckets / SLICE_BUCKETS));
  if (n <= 1) return bucketColumns(db, table, scope, grouped, usage);
  const step = Math.ceil(buckets / n) * spanMs;
  const slices = Array.from({ length: n }, (_, i) => ({
    ...scope,
    from: scope.from + i * step,
    to: Math.min(scope.to, scope.from + (i + 1) * step),
  })).filter((s) => s.from < s.to);
  const parts = await Promise.all(slices.map((s) => bucketColumns(db, table, s, grouped, usage)));
  const out = parts[0]!;
  for (const part of parts.slice(1)) {
    for (const k of Object.keys(out) as (keyof BucketColumns)[]) {
      const into = out[k] as unknown[] | null;
      const from = part[k] as unknown[] | null;
      if (into && from) for (const v of from) into.push(v);
    }
  }
  return out;
}

/** p50, p95 and p99 in ms (bucket upper bounds, as quantile() reads them) */
export type Quantiles = [number, number, number];

/** Every bucket of the histograms added up by the database: one sum per bucket, no row per bucket and histogram. */
const HIST_SUM = sql.raw(`ARRAY[${Array.from({ length: BUCKETS }, (_, i) => `sum(hist[${i + 1}])`).join(", ")}]`);

/**
 * Percentiles of merged histograms, per group of `source` (rows of `g`, a group key in epoch minutes, and `hist`):
 * the database adds the histograms of each group; the percentiles are read off the sums here (quantile()).
 */
async function quantilesOf(db: Queryable, source: SQL): Promise<Map<number, Quantiles>> {
  const c = await columnsOf(
    db,
    sql`SELECT json_build_array(array_agg(g), array_agg(h))::text AS columns
      FROM (SELECT g, ${HIST_SUM} AS h FROM (${source}) s GROUP BY g) q`,
  );
  const out = new Map<number, Quantiles>();
  if (!c) return out;
  const sums = c[1] as unknown as number[][];
  c[0]!.forEach((g, k) => {
    const h = sums[k]!;
    out.set(g!, [quantile(h, 0.5) ?? 0, quantile(h, 0.95) ?? 0, quantile(h, 0.99) ?? 0]);
  });
  return out;
}

/** Percentiles of the buckets (epoch minutes) made of several rows, their histograms merged. */
export function mergedQuantiles(
  db: Queryable,
  table: RollupTable,
  scope: RollupScope,
  minutes: readonly number[],
): Promise<Map<number, Quantiles>> {
  const starts = `{${minutes.map((m) => new Date(m * 60_000).toISOString()).join(",")}}`;
  return quantilesOf(
    db,
    sql`SELECT (date_part('epoch', bucket_start) / 60)::int AS g, hist FROM ${sql.identifier(table)}
      WHERE ${where(scope)} AND calls > 0 AND bucket_start = ANY(${starts}::timestamptz[])`,
  );
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const floorTo = (ms: number, span: number) => Math.floor(ms / span) * span;
const ceilTo = (ms: number, span: number) => Math.ceil(ms / span) * span;

/**
 * [from, to) as the fewest rollup rows: whole days from the day rows, whole hours at their edges from the hour rows,
 * the minutes that are left from the minute rows (30 days: 30 rows, plus at most 46 hours and 118 minutes).
 */
export function coverOf(from: number, to: number): { table: RollupTable; from: number; to: number }[] {
  const h0 = Math.min(ceilTo(from, HOUR), to);
  const h1 = Math.max(h0, floorTo(to, HOUR));
  const d0 = Math.min(ceilTo(h0, DAY), h1);
  const d1 = Math.max(d0, floorTo(h1, DAY));
  const pieces = [
    { table: "call_rollups" as const, from, to: h0 },
    { table: "call_rollups_hourly" as const, from: h0, to: d0 },
    { table: "call_rollups_daily" as const, from: d0, to: d1 },
    { table: "call_rollups_hourly" as const, from: d1, to: h1 },
    { table: "call_rollups" as const, from: h1, to },
  ];
  return pieces.filter((p) => p.from < p.to);
}

/** Percentiles over the whole scope, from the histograms of the rows that cover it most cheaply (coverOf). */
export async function windowQuantiles(db: Queryable, scope: RollupScope): Promise<Quantiles | null> {
  const parts = coverOf(scope.from, scope.to).map(
    (p) => sql`SELECT 0 AS g, hist FROM ${sql.identifier(p.table)} WHERE ${where({ ...scope, ...p })} AND calls > 0`,
  );
  if (parts.length === 0) return null;
  return (await quantilesOf(db, sql.join(parts, sql` UNION ALL `))).get(0) ?? null;
}

/**
 * The (version, environment) pairs among `versionIds` with rows in scope, in the given order: one probe of the
 * primary key per pair, so a month of rows costs nothing to ask about.
 */
export async function pairsServed(
  db: Queryable,
  table: RollupTable,
  scope: RollupScope,
  versionIds: readonly string[],
): Promise<{ versionId: string; environment: Environment }[]> {
  if (versionIds.length === 0) return [];
  const res = (await db.execute(
    sql`SELECT v.id::text AS version_id, e.env::text AS environment
      FROM unnest(${`{${versionIds.join(",")}}`}::uuid[]) WITH ORDINALITY AS v(id, k),
        unnest(enum_range(NULL::deploy_environment)) WITH ORDINALITY AS e(env, n)
      WHERE ${scope.environment ? sql`e.env = ${scope.environment}` : sql`true`}
        ${scope.versionId ? sql`AND v.id = ${scope.versionId}` : sql``}
        AND EXISTS (SELECT 1 FROM ${sql.identifier(table)} r WHERE r.agent_id = ${scope.agentId}
          AND r.environment = e.env AND r.version_id = v.id
          AND r.bucket_start >= ${at(scope.from)} AND r.bucket_start < ${at(scope.to)})
      ORDER BY v.k, e.n`,
  )) as unknown as { rows: { version_id: string; environment: Environment }[] };
  return res.rows.map((r) => ({ versionId: r.version_id, environment: r.environment }));
}
