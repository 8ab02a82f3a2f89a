import { searchAgentsRoute } from "@/lib/api/contracts/agent-listings";
import { registerAgentRoute } from "@/lib/api/contracts/agents";
import { withApi } from "@/lib/api/handler";
import { appOrigins } from "@/lib/auth/csrf";
import { registerAgent } from "@/lib/market/agents";
import { searchAgents } from "@/lib/market/agent-search";
import { agentJson } from "@/lib/market/serialize";

export const dynamic = "force-dynamic";

// POST /api/agents - register an agent (a signed-in person becomes its owner); the API key is shown once
export const POST = withApi(registerAgentRoute, async ({ principal, body }) => {
  const owner = principal?.kind === "user" ? principal.userId : null;
  const { agent, key, keyRow } = await registerAgent(body, owner);
  return { ...agentJson(agent), api_key: key, api_key_id: keyRow.id };
});

// GET /api/agents - search agents by text, capability, tag, category, status, owner, runtime and environment
export const GET = withApi(searchAgentsRoute, async ({ req, principal, query }) =>
  searchAgents(principal, query, appOrigins(req)[0]),
);
