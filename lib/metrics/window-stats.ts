import "server-only";
import { and, eq, gte } from "drizzle-orm";
import { getDb } from "@/db/client";
import { callRollups } from "@/db/schema";
import type { Environment } from "@/lib/deploy/types";
import { emptyHistogram, merge, quantile } from "./histogram";
import { flushMetrics } from "./recorder";

const MINUTE = 60_000;

export interface WindowStats {
  calls: number;
  errors: number;
  timeouts: number;
  p95_ms: number | null;
}

/**
 * A version's calls since `since` (to the minute: rows are per minute), for the controller's rollout decisions.
 * Flushes this process's buffer first so its own calls count; other processes' arrive within METRICS_FLUSH_MS.
 */
export async function versionWindowStats(q: {
  agentId: string;
  environment: Environment;
  versionId: string;
  since: Date;
}): Promise<WindowStats> {
  await flushMetrics();
  const db = await getDb();
  const rows = await db
    .select({
      calls: callRollups.calls,
      errors: callRollups.errors,
      timeouts: callRollups.timeouts,
      hist: callRollups.hist,
    })
    .from(callRollups)
    .where(
      and(
        eq(callRollups.agentId, q.agentId),
        eq(callRollups.environment, q.environment),
        eq(callRollups.versionId, q.versionId),
        gte(callRollups.bucketStart, new Date(Math.floor(q.since.getTime() / MINUTE) * MINUTE)),
      ),
    );
  const hist = emptyHistogram();
  const stats: WindowStats = { calls: 0, errors: 0, timeouts: 0, p95_ms: null };
  for (const r of rows) {
    stats.calls += r.calls;
    stats.errors += r.errors;
    stats.timeouts += r.timeouts;
    merge(hist, r.hist);
  }
  stats.p95_ms = quantile(hist, 0.95);
  return stats;
}
