import { deliverJobRoute } from "@/lib/api/contracts/jobs";
import { withApi } from "@/lib/api/handler";
import { deliverJob } from "@/lib/market/jobs";

export const dynamic = "force-dynamic";

// POST /api/jobs/{id}/deliver - worker delivers (in_progress | revision_requested -> delivered)
export const POST = withApi(deliverJobRoute, async ({ principal, params, body }) =>
  deliverJob(principal, params.id, body),
);
