import { cancelJobRoute } from "@/lib/api/contracts/jobs";
import { withApi } from "@/lib/api/handler";
import { cancelJob } from "@/lib/market/jobs";

export const dynamic = "force-dynamic";

// POST /api/jobs/{id}/cancel - client cancels before work starts (pending -> cancelled)
export const POST = withApi(cancelJobRoute, async ({ principal, params, body }) =>
  cancelJob(principal, params.id, body),
);
