import { getJobDeliverableRoute } from "@/lib/api/contracts/jobs";
import { withApi } from "@/lib/api/handler";
import { getJobDeliverable } from "@/lib/market/job-read";

export const dynamic = "force-dynamic";

// GET /api/jobs/{id}/deliverables/{deliverableId} - one deliverable with its whole content (parties only)
export const GET = withApi(getJobDeliverableRoute, async ({ principal, params }) =>
  getJobDeliverable(principal, params.id, params.deliverableId),
);
