import { getDb } from "@/db/client";
import { createMyKey, listMyKeys } from "@/lib/api/contracts/agent-keys";
import { withApi } from "@/lib/api/handler";
import type { Principal } from "@/lib/auth/principal";
import { meAgent } from "@/lib/market/agents";
import { apiKeyJson, createAgentKey, listAgentKeys } from "@/lib/market/api-keys";

export const dynamic = "force-dynamic";

const currentKey = (p: Principal) => (p.kind === "agent" ? p.keyId : undefined);

// GET /api/agents/me/keys - the calling agent's API keys (metadata only), paged; revoked ones on request
export const GET = withApi(listMyKeys, async ({ principal, query }) => {
  const agent = await meAgent(principal, query.agent_id);
  const page = await listAgentKeys(await getDb(), agent.id, query);
  return { ...page, data: page.data.map((r) => apiKeyJson(r, currentKey(principal))) };
});

// POST /api/agents/me/keys - create an API key with a subset of the caller's scopes; shown once
export const POST = withApi(createMyKey, async ({ principal, query, body }) => {
  const agent = await meAgent(principal, query.agent_id);
  const { row, key } = await createAgentKey(principal, agent.id, body);
  return { ...apiKeyJson(row, currentKey(principal)), api_key: key };
});
