import "server-only";
import { badRatingsServedBy } from "@/lib/market/job-auto";
import { versionWindowStats } from "@/lib/metrics/recorder";
import { healthSettings } from "../instances/manager";
import type { Evaluation, StepContext } from "./context";

/**
 * The rollout's judgement of the new version: its calls since the window started (error and timeout rates, p95;
 * auto-fulfilled jobs it served that were rated 1 or 2 count as errors) and one health check of every instance of the route (consecutive failures). `breach` names the first rollback
 * trigger exceeded, in words for the owner.
 */
export async function evaluate(
  ctx: StepContext,
  since: Date,
): Promise<{ evaluation: Evaluation; breach: string | null }> {
  const { config } = ctx;
  const health = healthSettings(config);
  const [calls, rows, badRatings] = await Promise.all([
    versionWindowStats({
      agentId: ctx.route.agentId,
      environment: ctx.route.environment,
      versionId: ctx.version.id,
      since,
    }),
    ctx.instances.check(ctx.route, health),
    badRatingsServedBy({ ...ctx.route, version: ctx.version.version, since }),
  ]);
  // What buyers experience counts too: a job this version served and its client rated 1 or 2 is an error (its
  // call is already among the calls, counted as a success).
  const stats = { ...calls, errors: Math.min(calls.calls, calls.errors + badRatings) };
  const mine = rows.filter((r) => r.versionId === ctx.version.id);
  const failures = Math.max(0, ...mine.map((r) => r.consecutiveFailures));
  const evaluation: Evaluation = {
    at: ctx.now.toISOString(),
    calls: stats.calls,
    error_rate: stats.calls ? stats.errors / stats.calls : 0,
    timeout_rate: stats.calls ? stats.timeouts / stats.calls : 0,
    p95_ms: stats.p95_ms,
    health_check_failures: failures,
  };
  const t = config.rollback.rollback_triggers;
  const pct = (n: number) => `${(n * 100).toFixed(1)}%`;
  let breach: string | null = null;
  if (evaluation.calls > 0 && evaluation.error_rate > t.error_rate) {
    breach = `error rate ${pct(evaluation.error_rate)} over ${stats.calls} calls exceeded ${pct(t.error_rate)}`;
  } else if (evaluation.calls > 0 && evaluation.timeout_rate > t.timeout_rate) {
    breach = `timeout rate ${pct(evaluation.timeout_rate)} over ${stats.calls} calls exceeded ${pct(t.timeout_rate)}`;
  } else if (failures >= health.failureThreshold) {
    breach = `${failures} consecutive health checks failed (limit ${t.health_check_failures})`;
  }
  ctx.log(
    `evaluated ${ctx.version.version}: ${stats.calls} calls, error rate ${pct(evaluation.error_rate)}, timeout rate ${pct(
      evaluation.timeout_rate,
    )}, p95 ${evaluation.p95_ms ?? "-"} ms, health failures ${failures}`,
  );
  return { evaluation, breach: config.rollback.auto_rollback ? breach : null };
}

/** Canary success criteria over the whole canary: error rate and p95 latency within their thresholds. */
export function canaryVerdict(ctx: StepContext, e: Evaluation): string | null {
  const c = ctx.config.canary.success_criteria;
  if (e.calls === 0) return null;
  if (e.error_rate > c.error_rate_threshold) {
    return `error rate ${(e.error_rate * 100).toFixed(1)}% above the success threshold ${(c.error_rate_threshold * 100).toFixed(1)}%`;
  }
  if (e.p95_ms !== null && e.p95_ms > c.latency_threshold) {
    return `p95 latency ${Math.round(e.p95_ms)} ms above the success threshold ${c.latency_threshold} ms`;
  }
  return null;
}
