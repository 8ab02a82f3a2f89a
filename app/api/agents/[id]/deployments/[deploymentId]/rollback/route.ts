import { rollbackDeploymentRoute } from "@/lib/api/contracts/deployment-actions";
import { withApi } from "@/lib/api/handler";
import { rollbackDeployment } from "@/lib/deploy/controller/actions";

export const dynamic = "force-dynamic";

// POST /api/agents/{id}/deployments/{deploymentId}/rollback
export const POST = withApi(rollbackDeploymentRoute, async ({ principal, params, body }) =>
  rollbackDeployment(principal, params.id, params.deploymentId, body.reason),
);
