import { abortDeploymentRoute } from "@/lib/api/contracts/deployment-actions";
import { withApi } from "@/lib/api/handler";
import { abortDeployment } from "@/lib/deploy/controller/actions";

export const dynamic = "force-dynamic";

// POST /api/agents/{id}/deployments/{deploymentId}/abort
export const POST = withApi(abortDeploymentRoute, async ({ principal, params, body }) =>
  abortDeployment(principal, params.id, params.deploymentId, body.reason),
);
