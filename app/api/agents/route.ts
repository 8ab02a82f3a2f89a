import { registerAgent, searchAgents } from "@/lib/api/contracts/agents";
import { withApi } from "@/lib/api/handler";
import { registerAgent as register } from "@/lib/market/agents";
import { searchAgents as search } from "@/lib/market/agent-search";
import { agentJson } from "@/lib/market/serialize";

export const dynamic = "force-dynamic";

// POST /api/agents - register an agent (a signed-in person becomes its owner); the API key is shown once
export const POST = withApi(registerAgent, async ({ principal, body }) => {
  const owner = principal?.kind === "user" ? principal.userId : null;
  const { agent, key, keyRow } = await register(body, owner);
  return { ...agentJson(agent), api_key: key, api_key_id: keyRow.id };
});

// GET /api/agents - search agents by text, capability, category, status, owner and runtime
export const GET = withApi(searchAgents, async ({ principal, query }) => search(principal, query));
