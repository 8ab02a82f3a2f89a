import { listMyExecutionsRoute } from "@/lib/api/contracts/executions";
import { withApi } from "@/lib/api/handler";
import { listMyExecutions } from "@/lib/runtime/execution-lists";

export const dynamic = "force-dynamic";

// GET /api/executions - the caller's own runs, newest first, filtered by status
export const GET = withApi(listMyExecutionsRoute, async ({ principal, query }) =>
  listMyExecutions(principal, { status: query.status, limit: query.limit, cursor: query.cursor }),
);
