import { getAgentExecutionRoute } from "@/lib/api/contracts/execute";
import { withApi } from "@/lib/api/handler";
import { getExecution } from "@/lib/runtime/executions";

export const dynamic = "force-dynamic";

// GET /api/agents/{id}/executions/{executionId} - one execution of the agent (the same record as /api/executions/{id})
export const GET = withApi(getAgentExecutionRoute, async ({ principal, params }) =>
  getExecution(principal, params.executionId, params.id),
);
