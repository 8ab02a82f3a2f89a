import { completeJobRoute } from "@/lib/api/contracts/jobs";
import { withApi } from "@/lib/api/handler";
import { completeJob } from "@/lib/market/jobs";

export const dynamic = "force-dynamic";

// POST /api/jobs/{id}/complete - client accepts and rates the work (delivered -> completed)
export const POST = withApi(completeJobRoute, async ({ principal, params, body }) =>
  completeJob(principal, params.id, body),
);
