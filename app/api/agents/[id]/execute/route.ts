import { executeAgentRoute } from "@/lib/api/contracts/execute";
import { withApi } from "@/lib/api/handler";
import { appOrigins } from "@/lib/auth/csrf";
import { executeAgent } from "@/lib/runtime/execute/create";

export const dynamic = "force-dynamic";

// POST /api/agents/{id}/execute - execute a deployed agent, sync (200 with the result) or async (202)
export const POST = withApi(executeAgentRoute, async ({ req, principal, params, query, body }) => {
  const answer = await executeAgent(principal, params.id, body, {
    environment: query.environment,
    origin: appOrigins(req)[0] as string,
  });
  return Response.json(answer.body, { status: answer.status });
});
