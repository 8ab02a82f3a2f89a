import { listAgentExecutionsRoute } from "@/lib/api/contracts/executions";
import { withApi } from "@/lib/api/handler";
import { listAgentExecutions } from "@/lib/runtime/execution-lists";

export const dynamic = "force-dynamic";

// GET /api/agents/{id}/executions - an agent's executions, newest first, filtered by status
export const GET = withApi(listAgentExecutionsRoute, async ({ principal, params, query }) =>
  listAgentExecutions(principal, params.id, { status: query.status, limit: query.limit, cursor: query.cursor }),
);
