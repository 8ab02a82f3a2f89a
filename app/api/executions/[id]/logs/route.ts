import { getExecutionLogs } from "@/lib/api/contracts/executions";
import { withApi } from "@/lib/api/handler";
import { listExecutionLogs } from "@/lib/runtime/execution-lists";

export const dynamic = "force-dynamic";

// GET /api/executions/{id}/logs - log lines, oldest first, paginated
export const GET = withApi(getExecutionLogs, async ({ principal, params, query }) =>
  listExecutionLogs(principal, params.id, { limit: query.limit, cursor: query.cursor }),
);
