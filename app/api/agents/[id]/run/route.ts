import { runAgent } from "@/lib/api/contracts/executions";
import { withApi } from "@/lib/api/handler";
import { startExecution } from "@/lib/runtime/start";

export const dynamic = "force-dynamic";

// POST /api/agents/{id}/run - the agent's owner (or anyone, paying price_per_run) starts an execution; 202 starting
export const POST = withApi(runAgent, async ({ principal, params, body }) =>
  startExecution(principal, params.id, { input: body.input, timeoutS: body.timeout_s, maxCharge: body.max_charge }),
);
