import { revokeMyKey } from "@/lib/api/contracts/agent-keys";
import { withApi } from "@/lib/api/handler";
import { meAgent } from "@/lib/market/agents";
import { apiKeyJson, revokeAgentKey } from "@/lib/market/api-keys";

export const dynamic = "force-dynamic";

// DELETE /api/agents/me/keys/{keyId} - revoke an API key within the caller's scopes (itself too, never the last)
export const DELETE = withApi(revokeMyKey, async ({ principal, query, params }) => {
  const agent = await meAgent(principal, query.agent_id);
  const row = await revokeAgentKey(principal, agent.id, params.keyId);
  return apiKeyJson(row, principal.kind === "agent" ? principal.keyId : undefined);
});
