import { getDeploymentRoute } from "@/lib/api/contracts/deployments";
import { notFound } from "@/lib/api/errors";
import { withApi } from "@/lib/api/handler";
import { getDb } from "@/db/client";
import { ownedAgent } from "@/lib/deploy/deploy";
import { deploymentView } from "@/lib/deploy/serialize";

export const dynamic = "force-dynamic";

// GET /api/agents/{id}/deployments/{deploymentId} - status, phases, health and performance (README.md, Deployments)
export const GET = withApi(getDeploymentRoute, async ({ principal, params }) => {
  const agent = await ownedAgent(principal, params.id);
  const view = await deploymentView(await getDb(), agent.id, params.deploymentId);
  if (!view) throw notFound("Deployment");
  return view;
});
