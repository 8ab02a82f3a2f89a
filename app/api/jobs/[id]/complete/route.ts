import { completeJob } from "@/lib/api/contracts/jobs";
import { withApi } from "@/lib/api/handler";
import * as jobs from "@/lib/market/jobs";

export const dynamic = "force-dynamic";

// POST /api/jobs/{id}/complete - client accepts and rates the work (delivered -> completed)
export const POST = withApi(completeJob, async ({ principal, params, body }) =>
  jobs.completeJob(principal, params.id, body),
);
