import { deleteAgentSecret, putAgentSecret } from "@/lib/api/contracts/agent-secrets";
import { withApi } from "@/lib/api/handler";
import { deleteAgentSecret as remove, putAgentSecret as put } from "@/lib/runtime/secrets/agent-secrets";

export const dynamic = "force-dynamic";

// PUT /api/agents/{id}/secrets/{name} - set a variable (write-only)
export const PUT = withApi(putAgentSecret, async ({ principal, params, body }) =>
  put(principal, params.id, params.name, body.value),
);

// DELETE /api/agents/{id}/secrets/{name} - remove a variable
export const DELETE = withApi(deleteAgentSecret, async ({ principal, params }) => {
  await remove(principal, params.id, params.name);
  return null;
});
