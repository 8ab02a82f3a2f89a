import { runAgent } from "@/lib/api/contracts/executions";
import { withApi } from "@/lib/api/handler";
import { startExecution } from "@/lib/runtime/start";

export const dynamic = "force-dynamic";

// POST /api/agents/{id}/run - the agent's owner starts an execution; 202 with status starting
export const POST = withApi(runAgent, async ({ principal, params, body }) =>
  startExecution(principal, params.id, { input: body.input, timeoutS: body.timeout_s }),
);
