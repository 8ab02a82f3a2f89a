import "server-only";
import { sql, type SQL } from "drizzle-orm";
import type { z } from "zod";
import type { Queryable } from "@/db/client";
import { callRollups, callRollupsHourly } from "@/db/schema";
import type { agentMetricsResponse } from "@/lib/api/contracts/metrics";
import { notFound } from "@/lib/api/errors";
import type { Environment } from "@/lib/deploy/types";
import { GRANULARITIES, mergedHistogram, seriesOf, type Granularity, type MetricName, type RollupRow } from "./series";

export type AgentMetricsJson = z.infer<typeof agentMetricsResponse>;

export interface AgentMetricsQuery {
  agentId: string;
  start: Date;
  end: Date;
  granularity: Granularity;
  select: ReadonlySet<MetricName>;
  environment?: Environment;
  /** A version string of the agent (404 when it has none such). */
  version?: string;
}

const HOUR = 3_600_000;
const floorTo = (ms: number, span: number) => Math.floor(ms / span) * span;
const ceilTo = (ms: number, span: number) => Math.ceil(ms / span) * span;
const at = (ms: number) => sql`${new Date(ms).toISOString()}::timestamptz`;

type Table = typeof callRollups | typeof callRollupsHourly;
/**
 * Rollup rows of one agent in [from, to) (and the `extra` condition), in time order, returned by the database as
 * one JSON text of columns: decoding tens of thousands of rows field by field costs several times the query, one
 * JSON.parse a fraction of it. A row's time is its minute since the epoch, its version a 1-based index into
 * `versionIds`; histograms only `withHist` (they are most of a row's bytes).
 */
async function readRows(
  db: Queryable,
  table: Table,
  q: AgentMetricsQuery & { versionId?: string },
  versionIds: readonly string[],
  from: number,
  to: number,
  withHist: boolean,
  extra: SQL = sql`true`,
): Promise<RollupRow[]> {
  const res = (await db.execute(sql`
    SELECT json_build_array(array_agg(m), array_agg(v), array_agg(calls), array_agg(failures),
      array_agg(latency_sum_ms), array_agg(p50_ms), array_agg(p95_ms), array_agg(p99_ms), array_agg(resource_samples),
      array_agg(cpu_utilization_sum), array_agg(memory_utilization_sum), array_agg(memory_bytes_max),
      array_agg(disk_bytes_max), ${sql.raw(withHist ? "array_agg(hist)" : "NULL")})::text AS columns
    FROM (
      SELECT (extract(epoch from bucket_start) / 60)::int AS m,
        array_position(${`{${versionIds.join(",")}}`}::uuid[], version_id) AS v, calls, errors + timeouts AS failures,
        latency_sum_ms, p50_ms, p95_ms, p99_ms, resource_samples, cpu_utilization_sum, memory_utilization_sum,
        memory_bytes_max, disk_bytes_max, ${sql.raw(withHist ? "hist" : "NULL::int[] AS hist")}
      FROM ${table}
      WHERE agent_id = ${q.agentId} AND bucket_start >= ${at(from)} AND bucket_start < ${at(to)} AND ${extra}
        ${q.environment ? sql`AND environment = ${q.environment}` : sql``}
        ${q.versionId ? sql`AND version_id = ${q.versionId}` : sql``}
      ORDER BY bucket_start
    ) r`)) as unknown as { rows: { columns: string }[] };
  // Thirteen columns of numbers, then the histograms (null when not read); every column is null without rows.
  const c = JSON.parse(res.rows[0]!.columns) as (number[] | null)[];
  if (c[0] === null) return [];
  const col = c as number[][];
  const hist = c[13] as unknown as number[][] | null;
  return col[0]!.map((minute, i) => {
    const value = (k: number) => col[k]![i]!;
    return {
      t: minute * 60_000,
      versionId: versionIds[value(1) - 1]!,
      calls: value(2),
      failures: value(3),
      latencySumMs: value(4),
      p50: value(5),
      p95: value(6),
      p99: value(7),
      resourceSamples: value(8),
      cpuSum: value(9),
      memorySum: value(10),
      memoryBytesMax: value(11),
      diskBytesMax: value(12),
      hist: hist?.[i] ?? null,
    };
  });
}

/**
 * GET /api/agents/{id}/metrics. Minute rows serve 1m and 5m, hour rows 1h and 1d. At 1m the stored percentiles of
 * a minute of one version serve its bucket, so histograms are read only where they must be merged: minutes that
 * several rows share (versions, environments) and the window's partial hours at either end; the whole hours in
 * between come from the hour rows, so the summary of 30 days reads 720 histograms rather than 43,200.
 */
export async function agentMetrics(db: Queryable, q: AgentMetricsQuery): Promise<AgentMetricsJson> {
  const versions = (await db.execute(
    sql`SELECT id, version FROM agent_versions WHERE agent_id = ${q.agentId} ORDER BY created_at, id`,
  )) as unknown as { rows: { id: string; version: string }[] };
  const versionId = q.version === undefined ? undefined : versions.rows.find((v) => v.version === q.version)?.id;
  if (q.version !== undefined && !versionId) throw notFound("Version");
  const scope = { ...q, versionId };
  const ids = versions.rows.map((v) => v.id);

  const span = GRANULARITIES[q.granularity];
  const from = floorTo(q.start.getTime(), span);
  const to = q.end.getTime();
  let rows: RollupRow[];
  // The rows whose histograms, merged, make the summary's percentiles.
  let covering: RollupRow[];
  if (q.granularity === "1m") {
    const hoursFrom = Math.min(ceilTo(from, HOUR), to);
    const hoursTo = Math.max(hoursFrom, floorTo(to, HOUR));
    const [minutes, hours] = await Promise.all([
      readRows(db, callRollups, scope, ids, from, to, false),
      hoursFrom < hoursTo ? readRows(db, callRollupsHourly, scope, ids, hoursFrom, hoursTo, true) : [],
    ]);
    // Minutes several rows share (versions, environments) and the edges: read again, with their histograms.
    const perMinute = new Map<number, number>();
    for (const r of minutes) perMinute.set(r.t, (perMinute.get(r.t) ?? 0) + 1);
    const shared = new Set([...perMinute].filter(([, n]) => n > 1).map(([t]) => t));
    const edge = (t: number) => t < hoursFrom || t >= hoursTo;
    const withHist = await readRows(
      db,
      callRollups,
      scope,
      ids,
      from,
      to,
      true,
      sql`(bucket_start < ${at(hoursFrom)} OR bucket_start >= ${at(hoursTo)}
        OR bucket_start = ANY(${`{${[...shared].map((t) => new Date(t).toISOString()).join(",")}}`}::timestamptz[]))`,
    );
    rows = [...minutes.filter((r) => !edge(r.t) && !shared.has(r.t)), ...withHist].sort((a, b) => a.t - b.t);
    covering = [...hours, ...withHist.filter((r) => edge(r.t))];
  } else {
    rows = await readRows(db, q.granularity === "5m" ? callRollups : callRollupsHourly, scope, ids, from, to, true);
    covering = rows;
  }

  const stored = q.granularity === "1m";
  const view = (only: string | null) => {
    const mine = only === null ? rows : rows.filter((r) => r.versionId === only);
    const hist = mergedHistogram(only === null ? covering : covering.filter((r) => r.versionId === only));
    return seriesOf(mine, q.granularity, q.select, stored, hist);
  };
  const served = new Set(rows.map((r) => r.versionId));
  return {
    agent_id: q.agentId,
    time_range: { start: new Date(from).toISOString(), end: new Date(to).toISOString(), granularity: q.granularity },
    environment: q.environment ?? null,
    version: q.version ?? null,
    ...view(null),
    // With one version the top level is its view already: listed per version only when several served (a canary).
    by_version:
      served.size > 1
        ? versions.rows
            .filter((v) => served.has(v.id))
            .map((v) => ({ version_id: v.id, version: v.version, ...view(v.id) }))
        : [],
  };
}
