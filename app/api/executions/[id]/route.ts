import { getExecution } from "@/lib/api/contracts/executions";
import { withApi } from "@/lib/api/handler";
import { getExecution as get } from "@/lib/runtime/executions";

export const dynamic = "force-dynamic";

// GET /api/executions/{id} - the execution record, refreshed from its host
export const GET = withApi(getExecution, async ({ principal, params }) => get(principal, params.id));
