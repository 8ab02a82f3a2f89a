import { getDisputeRoute } from "@/lib/api/contracts/disputes";
import { withApi } from "@/lib/api/handler";
import { getDispute } from "@/lib/market/dispute-read";

export const dynamic = "force-dynamic";

// GET /api/disputes/{id} - a dispute, for an admin or a party of its job
export const GET = withApi(getDisputeRoute, async ({ principal, params }) => getDispute(principal, params.id));
