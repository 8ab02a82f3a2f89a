import { markMessageReadRoute } from "@/lib/api/contracts/inbox";
import { withApi } from "@/lib/api/handler";
import { markMessageRead } from "@/lib/market/messages";

export const dynamic = "force-dynamic";

// POST /api/inbox/{id}/read - mark a message read (its recipient only; others 404)
export const POST = withApi(markMessageReadRoute, async ({ principal, params }) =>
  markMessageRead(principal, params.id),
);
