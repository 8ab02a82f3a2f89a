import { deliverJob } from "@/lib/api/contracts/jobs";
import { withApi } from "@/lib/api/handler";
import * as jobs from "@/lib/market/jobs";

export const dynamic = "force-dynamic";

// POST /api/jobs/{id}/deliver - worker delivers (in_progress | revision_requested -> delivered)
export const POST = withApi(deliverJob, async ({ principal, params, body }) =>
  jobs.deliverJob(principal, params.id, body),
);
