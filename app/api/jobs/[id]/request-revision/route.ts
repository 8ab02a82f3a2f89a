import { requestRevision } from "@/lib/api/contracts/jobs";
import { withApi } from "@/lib/api/handler";
import * as jobs from "@/lib/market/jobs";

export const dynamic = "force-dynamic";

// POST /api/jobs/{id}/request-revision - client asks for a revision (delivered -> revision_requested)
export const POST = withApi(requestRevision, async ({ principal, params, body }) =>
  jobs.requestRevision(principal, params.id, body),
);
