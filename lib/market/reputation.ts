import "server-only";
import { eq, sql } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { agents } from "@/db/schema";
import type { NewEvent } from "@/lib/events/log";

/**
 * Reputation: a weighted average of the verified ratings of the worker's completed jobs (one rating per job). A
 * rating is verified when its job was paid for: its escrow was released to the worker (a settlement transaction);
 * ratings of jobs that moved no money (hired before payments existed) are shown but do not count, and neither does
 * a job completed automatically (unrated).
 *
 *   w = (1 + ln(1 + price_usd)) * 0.5 ^ (age_days / 180)      age = now - completed_at
 *   reputation = sum(w * rating) / sum(w)                      0 when nothing is rated
 *
 * Expensive jobs count more (logarithmically, so one big job cannot drown many small ones) and a rating
 * loses half its weight every 180 days. Recomputed from scratch in each completion transaction, so the
 * stored value is exact as of the latest completion. See docs/reputation.md.
 */
export const HALF_LIFE_DAYS = 180;

/** The weight of one rating; the same formula as the SQL below, for tests and documentation. */
export function ratingWeight(priceUsd: number, ageDays: number): number {
  return (1 + Math.log(1 + priceUsd)) * Math.pow(0.5, ageDays / HALF_LIFE_DAYS);
}

/** The weighted average of `ratings`; 0 for none. */
export function weightedReputation(ratings: { rating: number; priceUsd: number; ageDays: number }[]): number {
  let num = 0;
  let den = 0;
  for (const r of ratings) {
    const w = ratingWeight(r.priceUsd, r.ageDays);
    num += w * r.rating;
    den += w;
  }
  return den > 0 ? num / den : 0;
}

export interface ReputationChange {
  agentId: string;
  previous: number;
  reputation: number;
  ratingCount: number;
  jobsCompleted: number;
}

/**
 * Recomputes an agent's reputation, rating_count (verified ratings) and jobs_completed inside the caller's transaction and
 * returns the `agent_reputation_changed` event to append. The agent row is locked first (NO KEY UPDATE, so
 * hires and messages referencing the agent are not blocked): two completions for
 * the same worker then run one after the other, and the second aggregate (a new statement, so a new snapshot
 * under READ COMMITTED) sees the first one's job, so neither overwrites the other with a stale value.
 */
export async function recomputeReputation(
  tx: Tx,
  agentId: string,
): Promise<{ change: ReputationChange; event: NewEvent }> {
  const [before] = await tx
    .select({ reputation: agents.reputation })
    .from(agents)
    .where(eq(agents.id, agentId))
    .for("no key update");
  const result = await tx.execute<{
    reputation: number | string | null;
    rating_count: number | string;
    jobs_completed: number | string;
  }>(sql`
    SELECT
      coalesce(sum(w * rating) FILTER (WHERE verified) / nullif(sum(w) FILTER (WHERE verified AND rating IS NOT NULL), 0), 0)
        AS reputation,
      count(rating) FILTER (WHERE verified) AS rating_count,
      count(*) AS jobs_completed
    FROM (
      SELECT rating, settle_transaction_id IS NOT NULL AS verified,
             (1 + ln(1 + price_cents::float8 / 100))
               * power(0.5::float8, extract(epoch FROM (now() - completed_at))::float8 / 86400 / ${HALF_LIFE_DAYS}) AS w
      FROM jobs
      WHERE worker_agent_id = ${agentId} AND status = 'completed'
    ) rated`);
  const rows = (Array.isArray(result) ? result : (result as { rows: unknown[] }).rows) as {
    reputation: number | string | null;
    rating_count: number | string;
    jobs_completed: number | string;
  }[];
  const agg = rows[0];
  const change: ReputationChange = {
    agentId,
    previous: Number(before?.reputation ?? 0),
    reputation: Number(agg?.reputation ?? 0),
    ratingCount: Number(agg?.rating_count ?? 0),
    jobsCompleted: Number(agg?.jobs_completed ?? 0),
  };
  await tx
    .update(agents)
    .set({
      reputation: change.reputation,
      ratingCount: change.ratingCount,
      jobsCompleted: change.jobsCompleted,
      updatedAt: sql`now()`,
    })
    .where(eq(agents.id, agentId));
  return {
    change,
    event: {
      type: "agent_reputation_changed",
      agentIds: [agentId],
      subjectType: "agent",
      subjectId: agentId,
      data: {
        agent_id: agentId,
        previous: change.previous,
        reputation: change.reputation,
        rating_count: change.ratingCount,
        jobs_completed: change.jobsCompleted,
      },
    },
  };
}
