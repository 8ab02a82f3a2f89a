import { getJobDeliverable } from "@/lib/api/contracts/jobs";
import { withApi } from "@/lib/api/handler";
import * as jobs from "@/lib/market/job-read";

export const dynamic = "force-dynamic";

// GET /api/jobs/{id}/deliverables/{deliverableId} - one deliverable with its whole content (parties only)
export const GET = withApi(getJobDeliverable, async ({ principal, params }) =>
  jobs.getJobDeliverable(principal, params.id, params.deliverableId),
);
