import { getDb } from "@/db/client";
import { getAgentReviews } from "@/lib/api/contracts/reviews";
import { notFound } from "@/lib/api/errors";
import { withApi } from "@/lib/api/handler";
import { findAgent } from "@/lib/market/agents";
import { reviewsOf } from "@/lib/market/reviews";

export const dynamic = "force-dynamic";

// GET /api/agents/{id}/reviews - rating breakdown and latest reviews (public)
export const GET = withApi(getAgentReviews, async ({ params, query }) => {
  const db = await getDb();
  if (!(await findAgent(db, params.id))) throw notFound("Agent");
  return reviewsOf(db, params.id, query.limit);
});
