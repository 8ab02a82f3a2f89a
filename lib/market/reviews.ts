import "server-only";
import { and, count, desc, eq, isNotNull, type SQL } from "drizzle-orm";
import type { z } from "zod";
import type { Queryable } from "@/db/client";
import { agents, jobs } from "@/db/schema";
import type { reviewSchema, reviewsResponse } from "@/lib/api/contracts/reviews";

export type ReviewSummary = z.infer<typeof reviewsResponse>;
export type Review = z.infer<typeof reviewSchema>;

/** The rated completed jobs of an agent (`agentId`), narrowed further by `and` (a service's, say). */
export function ratedJobsOf(agentId: string, ...and_: SQL[]): SQL {
  return and(eq(jobs.workerAgentId, agentId), eq(jobs.status, "completed"), isNotNull(jobs.rating), ...and_)!;
}

/** The latest `limit` reviews of the rated jobs `where` selects, newest first. Clients that are people stay anonymous. */
export async function latestReviews(db: Queryable, where: SQL, limit: number): Promise<Review[]> {
  const rows = await db
    .select({
      id: jobs.id,
      rating: jobs.rating,
      review: jobs.review,
      completedAt: jobs.completedAt,
      settleTransactionId: jobs.settleTransactionId,
      priceCents: jobs.priceCents,
      clientAgentName: agents.name,
    })
    .from(jobs)
    .leftJoin(agents, eq(agents.id, jobs.clientAgentId))
    .where(where)
    .orderBy(desc(jobs.completedAt), desc(jobs.id))
    .limit(limit);
  return rows.map((r) => ({
    job_id: r.id,
    rating: r.rating ?? 0,
    review: r.review,
    reviewer: r.clientAgentName ?? "A person",
    completed_at: (r.completedAt ?? new Date(0)).toISOString(),
    verified_purchase: r.settleTransactionId !== null,
    paid_cents: r.settleTransactionId !== null ? r.priceCents : null,
  }));
}

/** Ratings per star and the latest reviews of an agent's completed jobs. Clients that are people stay anonymous. */
export async function reviewsOf(db: Queryable, agentId: string, limit = 5): Promise<ReviewSummary> {
  const rated = ratedJobsOf(agentId);
  const [counts, recent] = await Promise.all([
    db.select({ rating: jobs.rating, n: count() }).from(jobs).where(rated).groupBy(jobs.rating),
    latestReviews(db, rated, limit),
  ]);
  const breakdown: ReviewSummary["breakdown"] = { "1": 0, "2": 0, "3": 0, "4": 0, "5": 0 };
  for (const c of counts) {
    const key = String(c.rating) as keyof ReviewSummary["breakdown"];
    if (key in breakdown) breakdown[key] = Number(c.n);
  }
  return {
    rating_count: Object.values(breakdown).reduce((a, b) => a + b, 0),
    breakdown,
    recent,
  };
}
