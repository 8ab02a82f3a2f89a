import "server-only";
import { sql, type SQL } from "drizzle-orm";
import type { Queryable } from "@/db/client";
import type { Environment } from "@/lib/deploy/types";
import { BUCKETS, quantile } from "./histogram";
import type { BucketColumns } from "./series";

/**
 * The metrics queries, aggregated inside the database: rollup rows are grouped into the answer's buckets by SQL and
 * come back as one JSON text of columns (one array per figure, no object per bucket), and percentiles of merged
 * histograms are computed there too (histograms added bucket by bucket, the rank found on their running sum), so
 * no histogram crosses the wire.
 */

export type RollupTable = "call_rollups" | "call_rollups_hourly";

export interface RollupScope {
  agentId: string;
  environment?: Environment;
  versionId?: string;
  /** [from, to) in epoch ms */
  from: number;
  to: number;
}

const at = (ms: number) => sql`${new Date(ms).toISOString()}::timestamptz`;

function where(table: RollupTable, s: RollupScope): SQL {
  return sql`agent_id = ${s.agentId} AND bucket_start >= ${at(s.from)} AND bucket_start < ${at(s.to)}
    ${s.environment ? sql`AND environment = ${s.environment}` : sql``}
    ${s.versionId ? sql`AND version_id = ${s.versionId}` : sql``}`;
}

/** A row's bucket: its own start when the table is at the answer's resolution (rows then stream in index order). */
function bucketOf(spanMs: number, native: boolean): SQL {
  return native ? sql`bucket_start` : sql.raw(`date_bin('${spanMs / 1000} seconds', bucket_start, 'epoch')`);
}

async function columnsOf(db: Queryable, query: SQL): Promise<(number | null)[][] | null> {
  const res = (await db.execute(query)) as unknown as { rows: { columns: string | null }[] };
  const text = res.rows[0]?.columns;
  if (!text) return null;
  const c = JSON.parse(text) as ((number | null)[] | null)[];
  return c[0] === null ? null : (c as (number | null)[][]);
}

/**
 * The buckets of `table`'s rows in scope, in time order: sums and peaks (the resource figures only when `usage`).
 * `native`: the rows are at the bucket's resolution, so a bucket of one row carries that row's stored percentiles;
 * they are null where the bucket's histograms must be merged (`mergedQuantiles`). Sums are cast to int and float8:
 * numeric sums cost several times as much to add up and to print.
 */
export async function bucketColumns(
  db: Queryable,
  table: RollupTable,
  scope: RollupScope,
  spanMs: number,
  native: boolean,
  usage: boolean,
): Promise<BucketColumns> {
  const stored = (c: string) => sql.raw(native ? `CASE WHEN count(*) = 1 THEN min(${c}) END` : "NULL::float8");
  const ifUsage = (expr: string) => sql.raw(usage ? expr : "NULL::int");
  const b = bucketOf(spanMs, native);
  const c = await columnsOf(
    db,
    sql`SELECT json_build_array(array_agg(m), array_agg(calls), array_agg(failures), array_agg(latency),
        array_agg(p50), array_agg(p95), array_agg(p99), array_agg(samples), array_agg(cpu), array_agg(memory),
        array_agg(memory_max), array_agg(disk_max))::text AS columns
      FROM (
        SELECT (extract(epoch from ${b}) / 60)::int AS m, sum(calls)::int AS calls,
          sum(errors + timeouts)::int AS failures, sum(latency_sum_ms::float8) AS latency,
          ${stored("p50_ms")} AS p50, ${stored("p95_ms")} AS p95, ${stored("p99_ms")} AS p99,
          ${ifUsage("sum(resource_samples)::int")} AS samples, ${ifUsage("sum(cpu_utilization_sum)")} AS cpu,
          ${ifUsage("sum(memory_utilization_sum)")} AS memory, ${ifUsage("max(memory_bytes_max)")} AS memory_max,
          ${ifUsage("max(disk_bytes_max)")} AS disk_max
        FROM ${sql.identifier(table)} WHERE ${where(table, scope)}
        GROUP BY ${b} ORDER BY ${b}
      ) g`,
  );
  const col = (k: number) => (c ? c[k]! : []);
  return {
    minute: col(0) as number[],
    calls: col(1) as number[],
    failures: col(2) as number[],
    latencyMs: col(3) as number[],
    p50: col(4),
    p95: col(5),
    p99: col(6),
    samples: usage ? (col(7) as number[]) : null,
    cpu: col(8) as number[],
    memory: col(9) as number[],
    memoryMax: col(10) as number[],
    diskMax: col(11) as number[],
  };
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

/** Percentiles of the buckets (epoch minutes) whose rows must be merged; every bucket in scope when `minutes` is "all". */
export function mergedQuantiles(
  db: Queryable,
  table: RollupTable,
  scope: RollupScope,
  spanMs: number,
  native: boolean,
  minutes: readonly number[] | "all",
): Promise<Map<number, Quantiles>> {
  const b = bucketOf(spanMs, native);
  const only =
    minutes === "all"
      ? sql``
      : sql`AND ${b} = ANY(${`{${minutes.map((m) => new Date(m * 60_000).toISOString()).join(",")}}`}::timestamptz[])`;
  return quantilesOf(
    db,
    sql`SELECT (extract(epoch from ${b}) / 60)::int AS g, hist FROM ${sql.identifier(table)}
      WHERE ${where(table, scope)} AND calls > 0 ${only}`,
  );
}

/**
 * Percentiles over the whole scope from the rows that cover it most cheaply: hour rows for the whole hours in
 * [hoursFrom, hoursTo), minute rows for the rest, so 30 days merge 720 histograms rather than 43,200.
 */
export async function windowQuantiles(
  db: Queryable,
  scope: RollupScope,
  hoursFrom: number,
  hoursTo: number,
): Promise<Quantiles | null> {
  const minutes = (from: number, to: number) =>
    sql`SELECT 0 AS g, hist FROM call_rollups WHERE ${where("call_rollups", { ...scope, from, to })} AND calls > 0`;
  const source =
    hoursFrom < hoursTo
      ? sql`${minutes(scope.from, hoursFrom)} UNION ALL ${minutes(hoursTo, scope.to)} UNION ALL
          SELECT 0, hist FROM call_rollups_hourly
          WHERE ${where("call_rollups_hourly", { ...scope, from: hoursFrom, to: hoursTo })} AND calls > 0`
      : minutes(scope.from, scope.to);
  return (await quantilesOf(db, source)).get(0) ?? null;
}

/** The versions among `versionIds` with rows in scope, in the given order. */
export async function versionsServed(
  db: Queryable,
  table: RollupTable,
  scope: RollupScope,
  versionIds: readonly string[],
): Promise<string[]> {
  if (versionIds.length === 0) return [];
  const res = (await db.execute(
    sql`SELECT v.id::text AS id FROM unnest(${`{${versionIds.join(",")}}`}::uuid[]) WITH ORDINALITY AS v(id, k)
      WHERE EXISTS (SELECT 1 FROM ${sql.identifier(table)} WHERE ${where(table, scope)} AND version_id = v.id)
      ORDER BY v.k`,
  )) as unknown as { rows: { id: string }[] };
  return res.rows.map((r) => r.id);
}
