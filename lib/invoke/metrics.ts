import "server-only";
import { sql, type SQL } from "drizzle-orm";
import type { z } from "zod";
import type { Queryable } from "@/db/client";
import type { metricsGroup, metricsSummarySchema } from "@/lib/api/contracts/invoke";
import type { PartyRef } from "@/lib/auth/principal";
import { ownedAgentIds } from "@/lib/market/agents";

type MetricsGroup = z.infer<typeof metricsGroup>;
export type MetricsSummary = z.infer<typeof metricsSummarySchema>;

interface Row extends Record<string, unknown> {
  target: string | null;
  invocations: number | string;
  ok: number | string;
  incomplete: number | string;
  d50: number | null;
  d95: number | null;
  d99: number | null;
  dmean: number | string | null;
  f50: number | null;
  f95: number | null;
  f99: number | null;
  chunks: number | string | null;
}

const num = (v: unknown): number | null => (v === null || v === undefined ? null : Math.round(Number(v) * 10) / 10);

/**
 * Whose invocations: "all" (an operator), or one caller's own, the invocations of the sessions it opened. A person's
 * own include those of the agents they own, as everywhere a person acts for their agents.
 */
export type MetricsScope = "all" | PartyRef;

function callerCondition(scope: MetricsScope): SQL {
  if (scope === "all") return sql`TRUE`;
  const mine = scope.userId
    ? sql`(s.caller_user_id = ${scope.userId} OR s.caller_agent_id IN ${ownedAgentIds(scope.userId)})`
    : sql`s.caller_agent_id = ${scope.agentId}`;
  return sql`session_id IN (SELECT s.session_id FROM agent_sessions s WHERE ${mine})`;
}

/** Invocation metrics over a window: count, duration and time-to-first-chunk percentiles, chunks, errors by type. */
export async function metricsSummary(
  db: Queryable,
  opts: { since: Date; target?: string; scope: MetricsScope },
): Promise<MetricsSummary> {
  const window = sql`created_at >= ${opts.since.toISOString()}::timestamptz AND ${callerCondition(opts.scope)}`;
  const where = opts.target ? sql`${window} AND target = ${opts.target}` : window;
  // GROUPING SETS: one row per target plus the overall row (target NULL), in one scan.
  const res = (await db.execute(sql`
    SELECT target,
      count(*) AS invocations,
      count(*) FILTER (WHERE outcome = 'ok') AS ok,
      count(*) FILTER (WHERE outcome = 'incomplete') AS incomplete,
      percentile_cont(0.5) WITHIN GROUP (ORDER BY duration_ms) AS d50,
      percentile_cont(0.95) WITHIN GROUP (ORDER BY duration_ms) AS d95,
      percentile_cont(0.99) WITHIN GROUP (ORDER BY duration_ms) AS d99,
      avg(duration_ms) AS dmean,
      percentile_cont(0.5) WITHIN GROUP (ORDER BY first_chunk_ms) AS f50,
      percentile_cont(0.95) WITHIN GROUP (ORDER BY first_chunk_ms) AS f95,
      percentile_cont(0.99) WITHIN GROUP (ORDER BY first_chunk_ms) AS f99,
      sum(chunks) AS chunks
    FROM invocations WHERE ${where}
    GROUP BY GROUPING SETS ((target), ())
    ORDER BY target NULLS FIRST`)) as unknown as { rows: Row[] };
  const errs = (await db.execute(sql`
    SELECT target, outcome, count(*) AS n FROM invocations
    WHERE ${where} AND outcome NOT IN ('ok', 'incomplete') GROUP BY target, outcome`)) as unknown as {
    rows: { target: string; outcome: string; n: number | string }[];
  };
  const rows = res.rows;
  const errRows = errs.rows;

  const group = (r: Row | undefined, target: string | null): MetricsGroup => {
    const byType: Record<string, number> = {};
    for (const e of errRows) {
      if (target === null || e.target === target) byType[e.outcome] = (byType[e.outcome] ?? 0) + Number(e.n);
    }
    const invocations = Number(r?.invocations ?? 0);
    const chunks = Number(r?.chunks ?? 0);
    return {
      invocations,
      ok: Number(r?.ok ?? 0),
      incomplete: Number(r?.incomplete ?? 0),
      errors: Object.values(byType).reduce((a, b) => a + b, 0),
      errors_by_type: byType,
      duration_ms: { p50: num(r?.d50), p95: num(r?.d95), p99: num(r?.d99), mean: num(r?.dmean) },
      first_chunk_ms: { p50: num(r?.f50), p95: num(r?.f95), p99: num(r?.f99) },
      chunks: { total: chunks, mean: invocations ? num(chunks / invocations) : null },
    };
  };

  const overall = rows.find((r) => r.target === null);
  return {
    since: opts.since.toISOString(),
    scope: opts.scope === "all" ? "all" : "own",
    ...group(overall, null),
    targets: rows.filter((r) => r.target !== null).map((r) => ({ target: r.target as string, ...group(r, r.target) })),
  };
}
