import "server-only";
import { sql } from "drizzle-orm";
import type { z } from "zod";
import type { Queryable } from "@/db/client";
import type { agentMetricsResponse } from "@/lib/api/contracts/metrics";
import { notFound } from "@/lib/api/errors";
import type { Environment } from "@/lib/deploy/types";
import {
  bucketColumns,
  mergedQuantiles,
  versionsServed,
  windowQuantiles,
  type RollupScope,
  type RollupTable,
} from "./rollup-queries";
import { GRANULARITIES, seriesOf, type Granularity, type MetricName } from "./series";

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

/**
 * GET /api/agents/{id}/metrics. Minute rows serve 1m and 5m, hour rows 1h and 1d; the database groups them into
 * the answer's buckets. A bucket that is one row at its own resolution (a minute of one version at 1m) carries the
 * row's stored percentiles; the others' come from their histograms merged in the database, and the window's from
 * the hour rows of its whole hours plus the minute rows at its edges (720 histograms for 30 days, not 43,200).
 */
export async function agentMetrics(db: Queryable, q: AgentMetricsQuery): Promise<AgentMetricsJson> {
  const versions = (await db.execute(
    sql`SELECT id, version FROM agent_versions WHERE agent_id = ${q.agentId} ORDER BY created_at, id`,
  )) as unknown as { rows: { id: string; version: string }[] };
  const versionId = q.version === undefined ? undefined : versions.rows.find((v) => v.version === q.version)?.id;
  if (q.version !== undefined && !versionId) throw notFound("Version");

  const span = GRANULARITIES[q.granularity];
  const from = floorTo(q.start.getTime(), span);
  const to = q.end.getTime();
  const table: RollupTable = span < HOUR ? "call_rollups" : "call_rollups_hourly";
  const native = span === (span < HOUR ? 60_000 : HOUR);
  // Whole hours come from the hour rows (at 1h and 1d every bucket is whole hours: to rounds up to its hour).
  const hoursFrom = span < HOUR ? Math.min(ceilTo(from, HOUR), to) : from;
  const hoursTo = span < HOUR ? Math.max(hoursFrom, floorTo(to, HOUR)) : ceilTo(to, HOUR);

  const view = async (scope: RollupScope) => {
    const [columns, window] = await Promise.all([
      bucketColumns(db, table, scope, span, native, q.select.has("resource_usage")),
      windowQuantiles(db, scope, hoursFrom, hoursTo),
    ]);
    // Buckets with calls but no stored percentiles: all of them unless the rows are at the answer's resolution.
    const shared = native ? columns.minute.filter((_, k) => columns.calls[k]! > 0 && columns.p50[k] === null) : "all";
    const merged =
      (shared !== "all" && shared.length === 0) || !q.select.has("response_time")
        ? new Map<number, never>()
        : await mergedQuantiles(db, table, scope, span, native, shared);
    return seriesOf(columns, q.granularity, q.select, merged, window);
  };

  const scope: RollupScope = { agentId: q.agentId, environment: q.environment, versionId, from, to };
  const [top, served] = await Promise.all([
    view(scope),
    versionId
      ? []
      : versionsServed(
          db,
          table,
          scope,
          versions.rows.map((v) => v.id),
        ),
  ]);
  // With one version the top level is its view already: listed per version only when several served (a canary).
  const byVersion =
    served.length > 1
      ? await Promise.all(
          served.map(async (id) => ({
            version_id: id,
            version: versions.rows.find((v) => v.id === id)!.version,
            ...(await view({ ...scope, versionId: id })),
          })),
        )
      : [];
  return {
    agent_id: q.agentId,
    time_range: { start: new Date(from).toISOString(), end: new Date(to).toISOString(), granularity: q.granularity },
    environment: q.environment ?? null,
    version: q.version ?? null,
    ...top,
    by_version: byVersion,
  };
}
