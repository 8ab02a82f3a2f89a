import { listAgentSecretsRoute } from "@/lib/api/contracts/agent-secrets";
import { withApi } from "@/lib/api/handler";
import { listAgentSecrets } from "@/lib/runtime/secrets/agent-secrets";

export const dynamic = "force-dynamic";

// GET /api/agents/{id}/secrets - the agent's variables: names and masks, never values
export const GET = withApi(listAgentSecretsRoute, async ({ principal, params }) => ({
  data: await listAgentSecrets(principal, params.id),
}));
