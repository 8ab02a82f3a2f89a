import { stopExecutionRoute } from "@/lib/api/contracts/executions";
import { withApi } from "@/lib/api/handler";
import { stopExecution } from "@/lib/runtime/executions";

export const dynamic = "force-dynamic";

// POST /api/executions/{id}/stop - stop a live execution; 409 once it has finished
export const POST = withApi(stopExecutionRoute, async ({ principal, params }) => stopExecution(principal, params.id));
