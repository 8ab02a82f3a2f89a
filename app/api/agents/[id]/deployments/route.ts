import { listDeploymentsRoute } from "@/lib/api/contracts/deployments";
import { withApi } from "@/lib/api/handler";
import { getDb } from "@/db/client";
import { ownedAgent } from "@/lib/deploy/deploy";
import { listDeployments } from "@/lib/deploy/serialize";

export const dynamic = "force-dynamic";

// GET /api/agents/{id}/deployments - the agent's deployments, newest first
export const GET = withApi(listDeploymentsRoute, async ({ principal, params, query }) => {
  const agent = await ownedAgent(principal, params.id);
  return listDeployments(await getDb(), agent.id, query);
});
