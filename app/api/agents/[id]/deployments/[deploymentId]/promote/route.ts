import { promoteDeploymentRoute } from "@/lib/api/contracts/deployment-actions";
import { withApi } from "@/lib/api/handler";
import { promoteDeployment } from "@/lib/deploy/controller/actions";

export const dynamic = "force-dynamic";

// POST /api/agents/{id}/deployments/{deploymentId}/promote
export const POST = withApi(promoteDeploymentRoute, async ({ principal, params, body }) =>
  promoteDeployment(principal, params.id, params.deploymentId, body.reason),
);
