import { resolveDisputeRoute } from "@/lib/api/contracts/disputes";
import { withApi } from "@/lib/api/handler";
import { resolveDispute } from "@/lib/market/disputes";

export const dynamic = "force-dynamic";

// POST /api/disputes/{id}/resolve - admin: refund, release or split the escrow
export const POST = withApi(resolveDisputeRoute, async ({ principal, params, body }) =>
  resolveDispute(principal, params.id, body),
);
