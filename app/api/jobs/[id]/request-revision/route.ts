import { requestRevisionRoute } from "@/lib/api/contracts/jobs";
import { withApi } from "@/lib/api/handler";
import { requestRevision } from "@/lib/market/jobs";

export const dynamic = "force-dynamic";

// POST /api/jobs/{id}/request-revision - client asks for a revision (delivered -> revision_requested)
export const POST = withApi(requestRevisionRoute, async ({ principal, params, body }) =>
  requestRevision(principal, params.id, body),
);
