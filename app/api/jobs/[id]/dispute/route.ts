import { openDisputeRoute } from "@/lib/api/contracts/disputes";
import { withApi } from "@/lib/api/handler";
import { openDispute } from "@/lib/market/disputes";

export const dynamic = "force-dynamic";

// POST /api/jobs/{id}/dispute - the client or the worker disputes a delivered job (delivered -> disputed)
export const POST = withApi(openDisputeRoute, async ({ principal, params, body }) =>
  openDispute(principal, params.id, body),
);
