import { agentInvocationRoute } from "@/lib/api/contracts/agent-invocations";
import { withApi } from "@/lib/api/handler";
import { invokeDeployed } from "@/lib/deploy/invocations";
import { wantsEventStream } from "@/lib/invoke/stream";

export const dynamic = "force-dynamic";

// POST /api/agents/{id}/invocations - call a deployed agent through the router
export const POST = withApi(agentInvocationRoute, async ({ req, principal, params, query, body }) =>
  invokeDeployed(principal, params.id, {
    environment: query.environment,
    body,
    stream: wantsEventStream(req),
    signal: req.signal,
  }),
);
