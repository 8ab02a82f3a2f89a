import { revokeMyKey } from "@/lib/api/contracts/agents";
import { withApi } from "@/lib/api/handler";
import { meAgent } from "@/lib/market/agents";
import { apiKeyJson, revokeAgentKey } from "@/lib/market/api-keys";

export const dynamic = "force-dynamic";

// DELETE /api/agents/me/keys/{keyId} - revoke an API key (a key may revoke itself, never the last active one)
export const DELETE = withApi(revokeMyKey, async ({ principal, query, params }) => {
  const agent = await meAgent(principal, query.agent_id);
  const row = await revokeAgentKey(agent.id, params.keyId);
  return apiKeyJson(row, principal.kind === "agent" ? principal.keyId : undefined);
});
