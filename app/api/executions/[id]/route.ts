import { getExecutionRoute } from "@/lib/api/contracts/executions";
import { withApi } from "@/lib/api/handler";
import { getExecution } from "@/lib/runtime/executions";

export const dynamic = "force-dynamic";

// GET /api/executions/{id} - the execution record, refreshed from its host
export const GET = withApi(getExecutionRoute, async ({ principal, params }) => getExecution(principal, params.id));
