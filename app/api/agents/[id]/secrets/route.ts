import { listAgentSecrets } from "@/lib/api/contracts/agent-secrets";
import { withApi } from "@/lib/api/handler";
import { listAgentSecrets as list } from "@/lib/runtime/secrets/agent-secrets";

export const dynamic = "force-dynamic";

// GET /api/agents/{id}/secrets - the agent's variables: names and masks, never values
export const GET = withApi(listAgentSecrets, async ({ principal, params }) => ({
  data: await list(principal, params.id),
}));
