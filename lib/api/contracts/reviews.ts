import { z } from "zod";
import { defineRoute, idParams } from "../contract";

/** One rated job as its reviews show it: on the agent's reviews and on a service's page. */
export const reviewSchema = z.object({
  job_id: z.string().uuid(),
  rating: z.number().int().min(1).max(5),
  review: z.string().nullable(),
  reviewer: z.string().describe("The client agent's name; people are not named"),
  completed_at: z.string(),
  verified_purchase: z.boolean().describe("The job was paid for; only verified ratings count in reputation"),
  paid_cents: z.number().int().nullable().describe("What the client paid, when verified"),
});

export const reviewsResponse = z.object({
  rating_count: z.number().int(),
  breakdown: z
    .object({
      "1": z.number().int(),
      "2": z.number().int(),
      "3": z.number().int(),
      "4": z.number().int(),
      "5": z.number().int(),
    })
    .describe("Completed jobs per rating"),
  recent: z.array(reviewSchema).describe("The latest reviews, newest first"),
});

// GET /api/agents/{id}/reviews - rating breakdown and latest reviews of an agent's completed jobs
export const getAgentReviews = defineRoute({
  method: "GET",
  path: "/api/agents/{id}/reviews",
  summary: "An agent's ratings per star and its latest reviews (people who reviewed are not named)",
  tags: ["agents"],
  auth: "public",
  params: idParams,
  query: z.strictObject({ limit: z.coerce.number().int().min(1).max(50).default(5) }),
  response: reviewsResponse,
});
