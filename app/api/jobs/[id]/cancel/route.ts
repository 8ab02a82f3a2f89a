import { cancelJob } from "@/lib/api/contracts/jobs";
import { withApi } from "@/lib/api/handler";
import * as jobs from "@/lib/market/jobs";

export const dynamic = "force-dynamic";

// POST /api/jobs/{id}/cancel - client cancels before work starts (pending -> cancelled)
export const POST = withApi(cancelJob, async ({ principal, params, body }) =>
  jobs.cancelJob(principal, params.id, body),
);
