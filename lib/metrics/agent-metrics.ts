import "server-only";
import { sql } from "drizzle-orm";
import type { z } from "zod";
import type { Queryable } from "@/db/client";
import type { agentMetricsResponse } from "@/lib/api/contracts/metrics";
import { notFound } from "@/lib/api/errors";
import type { Environment } from "@/lib/deploy/types";
import {
  bucketColumnsSliced,
  mergedQuantiles,
  pairsServed,
  windowQuantiles,
  type RollupScope,
  type RollupTable,
} from "./rollup-queries";
import { seriesJsonInDb } from "./series-sql";
import { GRANULARITIES, seriesJson, type Granularity, type MetricName } from "./series";

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

/** The rollup table whose rows are the granularity's buckets. */
const TABLE: Record<Granularity, RollupTable> = {
  "1m": "call_rollups",
  "5m": "call_rollups_5m",
  "1h": "call_rollups_hourly",
  "1d": "call_rollups_daily",
};

const floorTo = (ms: number, span: number) => Math.floor(ms / span) * span;
const ceilTo = (ms: number, span: number) => Math.ceil(ms / span) * span;

/**
 * GET /api/agents/{id}/metrics. Each granularity reads the rollup table of its own bucket size, so a bucket of one
 * version in one environment is one row with its stored percentiles, read off the covering index; a bucket of several
 * rows (the agent's versions or environments together) has its histograms merged in the database. The window's
 * percentiles come from the rows that cover it most cheaply (day rows for whole days, then hours, then minutes).
 * Buckets are whole: the window runs from the first bucket's start to the end of the last one's.
 *
 * The answer is JSON text, written straight from the columns the database aggregated (`seriesJson`): a month of
 * minutes is a 15 MB body that the route sends as it is, with no object per point made, parsed or stringified.
 */
export async function agentMetricsJson(db: Queryable, q: AgentMetricsQuery): Promise<string> {
  const versions = (await db.execute(
    sql`SELECT id, version FROM agent_versions WHERE agent_id = ${q.agentId} ORDER BY created_at, id`,
  )) as unknown as { rows: { id: string; version: string }[] };
  const versionId = q.version === undefined ? undefined : versions.rows.find((v) => v.version === q.version)?.id;
  if (q.version !== undefined && !versionId) throw notFound("Version");

  const span = GRANULARITIES[q.granularity];
  const table = TABLE[q.granularity];
  const from = floorTo(q.start.getTime(), span);
  const to = q.end.getTime();
  const scope: RollupScope = { agentId: q.agentId, environment: q.environment, versionId, from, to };
  const pairs = await pairsServed(
    db,
    table,
    scope,
    versions.rows.map((v) => v.id),
  );

  /** `rows`: how many (version, environment) pairs the scope holds: with one, every bucket is one row. */
  const view = async (s: RollupScope, rows: number) => {
    if (rows <= 1) {
      // One version in one environment (the common case): every row is a bucket; the database writes the series.
      return seriesJsonInDb(db, table, s, q.granularity, q.select, windowQuantiles(db, { ...s, to: ceilTo(to, span) }));
    }
    const [columns, window] = await Promise.all([
      bucketColumnsSliced(db, table, s, span, rows > 1, q.select.has("resource_usage")),
      windowQuantiles(db, { ...s, to: ceilTo(to, span) }),
    ]);
    // Buckets with calls but no stored percentiles: those made of several rows.
    const shared = columns.minute.filter((_, k) => columns.calls[k]! > 0 && columns.p50[k] === null);
    const merged =
      shared.length === 0 || !q.select.has("response_time")
        ? new Map<number, never>()
        : await mergedQuantiles(db, table, s, shared);
    return seriesJson(columns, q.granularity, q.select, merged, window);
  };

  const served = [...new Set(pairs.map((p) => p.versionId))];
  const [top, byVersion] = await Promise.all([
    view(scope, pairs.length),
    // With one version the top level is its view already: listed per version only when several served (a canary).
    served.length > 1
      ? Promise.all(
          served.map(async (id) => {
            const version = versions.rows.find((v) => v.id === id)!.version;
            const members = await view({ ...scope, versionId: id }, pairs.filter((p) => p.versionId === id).length);
            return `{"version_id":${JSON.stringify(id)},"version":${JSON.stringify(version)},${members}}`;
          }),
        )
      : [],
  ]);
  // The members in the order of the contract's schema (agentMetricsResponse), as JSON.stringify would write them.
  const head = JSON.stringify({
    agent_id: q.agentId,
    time_range: { start: new Date(from).toISOString(), end: new Date(to).toISOString(), granularity: q.granularity },
    environment: q.environment ?? null,
    version: q.version ?? null,
  });
  return `${head.slice(0, -1)},${top},"by_version":[${byVersion.join(",")}]}`;
}
