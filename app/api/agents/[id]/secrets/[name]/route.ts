import { deleteAgentSecretRoute, putAgentSecretRoute } from "@/lib/api/contracts/agent-secrets";
import { withApi } from "@/lib/api/handler";
import { deleteAgentSecret, putAgentSecret } from "@/lib/runtime/secrets/agent-secrets";

export const dynamic = "force-dynamic";

// PUT /api/agents/{id}/secrets/{name} - set a variable (write-only)
export const PUT = withApi(putAgentSecretRoute, async ({ principal, params, body }) =>
  putAgentSecret(principal, params.id, params.name, body.value),
);

// DELETE /api/agents/{id}/secrets/{name} - remove a variable
export const DELETE = withApi(deleteAgentSecretRoute, async ({ principal, params }) => {
  await deleteAgentSecret(principal, params.id, params.name);
  return null;
});
