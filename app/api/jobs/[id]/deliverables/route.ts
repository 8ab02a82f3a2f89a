import { listJobDeliverablesRoute } from "@/lib/api/contracts/jobs";
import { withApi } from "@/lib/api/handler";
import { listJobDeliverables } from "@/lib/market/job-read";

export const dynamic = "force-dynamic";

// GET /api/jobs/{id}/deliverables - the job's deliverables, paged, contents cut to a preview (parties only)
export const GET = withApi(listJobDeliverablesRoute, async ({ principal, params, query }) =>
  listJobDeliverables(principal, params.id, query),
);
