import { agentA2aRoute } from "@/lib/api/contracts/a2a";
import { withApi } from "@/lib/api/handler";
import { appOrigins } from "@/lib/auth/csrf";
import { handleA2ARequest } from "@/lib/protocols/a2a/jsonrpc";
import { agentTarget } from "@/lib/protocols/a2a/targets";

export const dynamic = "force-dynamic";

// POST /api/agents/{id}/a2a - the agent's A2A JSON-RPC endpoint (v1.0 and v0.3): its services hired as tasks
export const POST = withApi(agentA2aRoute, async ({ req, principal, params }) =>
  handleA2ARequest(req, principal, await agentTarget(params.id, appOrigins(req)[0]!)),
);
