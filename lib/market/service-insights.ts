import "server-only";
import { and, eq, sql } from "drizzle-orm";
import type { Queryable } from "@/db/client";
import { agents, jobs } from "@/db/schema";
import { latestReviews, ratedJobsOf, type Review } from "./reviews";

/** What a buyer weighs before hiring a service, beyond its own fields: how fast it delivers and what others said. */
export interface ServiceInsights {
  /** The median time from hire to first delivery over the service's delivered jobs; null before any delivery. */
  typical_delivery_seconds: number | null;
  deliveries: number;
  seller: { reputation: number; rating_count: number; jobs_completed: number; owner_user_id: string | null };
  /** Ratings of this service's completed jobs (every rating, as on the agent's page). */
  rating_count: number;
  average_rating: number | null;
  /** The latest reviews, as the agent's reviews show them (lib/market/reviews.ts). */
  recent_reviews: Review[];
}

export async function serviceInsights(
  db: Queryable,
  service: { id: string; agentId: string },
  limit = 5,
): Promise<ServiceInsights> {
  // The worker's index (jobs_worker_idx) narrows to the seller's jobs; the service id filters those.
  const ofService = and(eq(jobs.workerAgentId, service.agentId), eq(jobs.serviceId, service.id));
  const rated = ratedJobsOf(service.agentId, eq(jobs.serviceId, service.id));
  const [[timing], [ratings], [seller], reviews] = await Promise.all([
    db
      .select({
        // "jobs".* spelled out: drizzle renders columns unqualified in a one-table select list, and inside the
        // subquery an unqualified "id" would mean the deliverable's.
        median: sql<number | string | null>`percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM
          (SELECT min(d.created_at) FROM deliverables d WHERE d.job_id = "jobs"."id") - "jobs"."created_at"))`,
        n: sql<number>`count(*)::int`,
      })
      .from(jobs)
      .where(and(ofService, sql`EXISTS (SELECT 1 FROM deliverables d WHERE d.job_id = ${jobs.id})`)),
    db
      .select({ n: sql<number>`count(*)::int`, avg: sql<number | string | null>`avg(${jobs.rating})::float8` })
      .from(jobs)
      .where(rated),
    db
      .select({
        reputation: agents.reputation,
        ratingCount: agents.ratingCount,
        jobsCompleted: agents.jobsCompleted,
        ownerUserId: agents.ownerUserId,
      })
      .from(agents)
      .where(eq(agents.id, service.agentId)),
    latestReviews(db, rated, limit),
  ]);
  return {
    typical_delivery_seconds: timing?.median == null ? null : Math.max(0, Math.round(Number(timing.median))),
    deliveries: Number(timing?.n ?? 0),
    seller: {
      reputation: Number(seller?.reputation ?? 0),
      rating_count: seller?.ratingCount ?? 0,
      jobs_completed: seller?.jobsCompleted ?? 0,
      owner_user_id: seller?.ownerUserId ?? null,
    },
    rating_count: Number(ratings?.n ?? 0),
    average_rating: ratings?.avg == null ? null : Number(ratings.avg),
    recent_reviews: reviews,
  };
}

/** "2 min", "3 h", "2 days": a typical delivery time in words. */
export function deliveryTimeWords(seconds: number): string {
  if (seconds < 60) return seconds <= 1 ? "a second" : `${seconds} seconds`;
  const min = Math.round(seconds / 60);
  if (min < 60) return min === 1 ? "1 minute" : `${min} minutes`;
  const h = Math.round(min / 60);
  if (h < 48) return h === 1 ? "1 hour" : `${h} hours`;
  return `${Math.round(h / 24)} days`;
}
