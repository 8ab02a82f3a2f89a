import "server-only";
import { sql } from "drizzle-orm";
import type { Queryable } from "@/db/client";
import { where, type RollupScope, type RollupTable } from "./rollup-queries";
import {
  GRANULARITIES,
  METRIC_NAMES,
  membersJson,
  summaryOf,
  throughputOf,
  type Granularity,
  type MetricName,
  type Totals,
} from "./series";

/*
 * The series written as JSON text by the database, for the common case: a scope of one version in one environment,
 * where every rollup row is a bucket with its own stored percentiles. PostgreSQL prints each point and joins them
 * (string_agg), so the answer comes back as one text per series and a row of totals: no 43,200 rows, no array of
 * columns to parse, no object or string per point in JavaScript (whose garbage collection was most of the cost).
 *
 * The numbers are the very text JSON.stringify writes for seriesJson's (series.ts): the same IEEE double arithmetic
 * (float8; JavaScript's Math.round(x) is floor(x + 0.5)) printed in the same shortest form (see num). Percentiles
 * are the stored bucket bounds rounded to the microsecond, as the column path reads them. The rows' subquery is
 * kept whole (OFFSET 0) so each row's timestamp is printed once, not once per series.
 */

/** `x` (float8) rounded to 10^-digits as Math.round(x * 10^digits) / 10^digits does. */
const roundTo = (x: string, digits: number) => `(floor((${x}) * 1e${digits}::float8 + 0.5) / 1e${digits}::float8)`;
/**
 * A float8 as its JSON text: float8's own shortest form where it writes no exponent (as JavaScript's, for a value
 * of at most 15 significant digits), else through numeric; null for NaN and the infinities, as JSON.stringify.
 */
const num = (x: string) =>
  `CASE WHEN ${x} = 0 OR (abs(${x}) >= 1e-4::float8 AND abs(${x}) < 1e15::float8) THEN (${x})::text
    WHEN abs(${x}) < 'Infinity'::float8 THEN trim_scale((${x})::numeric)::text ELSE 'null' END`;
/** A stored percentile rounded to the microsecond, in milliseconds (bucket bounds: 1 ms to 10 minutes). */
const msOfMicros = (c: string) => `((${c} * 1000)::int8::float8 / 1000)::text`;

/**
 * Each series' point (after `{"timestamp":"…",`, of the columns of rowsOf) as the parts concat() joins in one
 * pass (no text made per `||`), and the rows it has a point for.
 */
const POINTS: Record<MetricName, { point: string; filter: string }> = {
  execution_count: { point: `'"value":', calls`, filter: "true" },
  response_time: {
    point: `'"avg":', ${num("avg")}, ',"p50":', p50, ',"p95":', p95, ',"p99":', p99`,
    filter: "calls > 0",
  },
  error_rate: { point: `'"value":', ${num("error_rate")}`, filter: "calls > 0" },
  throughput: { point: `'"value":', ${num("throughput")}`, filter: "true" },
  resource_usage: {
    point: `'"cpu":', ${num("cpu")}, ',"memory":', ${num("memory")}, ',"disk":null,"memory_bytes":', memory_max,
      ',"disk_bytes":', disk_max`,
    filter: "samples > 0",
  },
};

/**
 * The rows in time order with each figure computed once (a point's figures are repeated by num), under the
 * fence of OFFSET 0: the planner would otherwise fold the subquery into the aggregates and compute them per use.
 */
const rowsOf = (table: RollupTable, scope: RollupScope, perSecond: number) =>
  sql`SELECT '{"timestamp":"' || to_char(bucket_start AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI') || ':00.000Z",' AS at,
      calls, errors + timeouts AS failures, latency_sum_ms AS latency, resource_samples AS samples,
      ${sql.raw(`${roundTo(`calls * ${perSecond}::float8`, 6)} AS throughput,
      ${roundTo("(errors + timeouts)::float8 / nullif(calls, 0)", 6)} AS error_rate,
      ${roundTo("latency_sum_ms::float8 / nullif(calls, 0)", 3)} AS avg,
      ${msOfMicros("p50_ms")} AS p50, ${msOfMicros("p95_ms")} AS p95, ${msOfMicros("p99_ms")} AS p99,
      ${roundTo("cpu_utilization_sum / nullif(resource_samples, 0)", 6)} AS cpu,
      ${roundTo("memory_utilization_sum / nullif(resource_samples, 0)", 6)} AS memory,`)}
      memory_bytes_max AS memory_max, disk_bytes_max AS disk_max
    FROM ${sql.identifier(table)} WHERE ${where(scope)} ORDER BY bucket_start OFFSET 0`;

interface Written {
  series: Map<MetricName, string>;
  totals: { calls: number; failures: number; latency: number; active: number; up: number; peakCalls: number };
}

/** One query: the selected series of `scope`'s rows (one row a bucket) as JSON text, and the window's totals. */
async function writeSlice(
  db: Queryable,
  table: RollupTable,
  scope: RollupScope,
  granularity: Granularity,
  names: readonly MetricName[],
): Promise<Written> {
  const aggregates = names.map(
    (n) =>
      `coalesce(string_agg(concat(at, ${POINTS[n].point}, '}'), ',') FILTER (WHERE ${POINTS[n].filter}), '') AS "${n}"`,
  );
  const res = (await db.execute(
    sql`SELECT ${sql.raw(aggregates.map((a) => `${a}, `).join(""))}
        coalesce(sum(calls), 0)::float8 AS calls, coalesce(sum(failures), 0)::float8 AS failures,
        coalesce(sum(latency), 0)::float8 AS latency, count(*) FILTER (WHERE calls > 0)::int AS active,
        count(*) FILTER (WHERE calls > 0 AND failures < calls)::int AS up, coalesce(max(calls), 0)::int AS peak_calls
      FROM (${rowsOf(table, scope, 1000 / GRANULARITIES[granularity])}) r`,
  )) as unknown as { rows: Record<string, string | number>[] };
  const row = res.rows[0]!;
  return {
    series: new Map(names.map((n) => [n, String(row[n])])),
    totals: {
      calls: Number(row.calls),
      failures: Number(row.failures),
      latency: Number(row.latency),
      active: Number(row.active),
      up: Number(row.up),
      peakCalls: Number(row.peak_calls),
    },
  };
}

/** Buckets past which a series is written in slices, one connection each (a month of minutes is 43,200). */
const SLICE_BUCKETS = 10_000;

/**
 * `"metrics":{…},"summary":{…}` of a scope of one version in one environment, written by the database: exactly
 * seriesJson's text for the same rows. A long window is written in consecutive slices at once, so a server with
 * several cores prints a month of minutes in parallel.
 */
export async function seriesJsonInDb(
  db: Queryable,
  table: RollupTable,
  scope: RollupScope,
  granularity: Granularity,
  select: ReadonlySet<MetricName>,
  /** the window's percentiles, asked for beside the series */
  window: Promise<readonly [number, number, number] | null>,
): Promise<string> {
  const span = GRANULARITIES[granularity];
  const names = METRIC_NAMES.filter((n) => select.has(n));
  const buckets = Math.ceil((scope.to - scope.from) / span);
  const n = Math.max(1, Math.min(4, Math.ceil(buckets / SLICE_BUCKETS)));
  const step = Math.ceil(buckets / n) * span;
  const slices = Array.from({ length: n }, (_, i) => ({
    ...scope,
    from: scope.from + i * step,
    to: Math.min(scope.to, scope.from + (i + 1) * step),
  })).filter((s) => s.from < s.to);
  const [quantiles, ...parts] = await Promise.all([
    window,
    ...slices.map((s) => writeSlice(db, table, s, granularity, names)),
  ]);
  const sum: Totals = { calls: 0, failures: 0, latency: 0, active: 0, up: 0, peak: 0 };
  let peakCalls = 0;
  for (const { totals } of parts) {
    sum.calls += totals.calls;
    sum.failures += totals.failures;
    sum.latency += totals.latency;
    sum.active += totals.active;
    sum.up += totals.up;
    peakCalls = Math.max(peakCalls, totals.peakCalls);
  }
  sum.peak = throughputOf(peakCalls, granularity);
  const series = names.map(
    (name) =>
      [
        name,
        parts
          .map((p) => p.series.get(name)!)
          .filter((text) => text !== "")
          .join(","),
      ] as const,
  );
  return membersJson(series, summaryOf(sum, quantiles as Awaited<typeof window>));
}
