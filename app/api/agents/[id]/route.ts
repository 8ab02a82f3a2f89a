import { deleteAgent, getAgent, putAgent } from "@/lib/api/contracts/agents";
import { notFound } from "@/lib/api/errors";
import { withApi } from "@/lib/api/handler";
import { agentForChange, findAgentCached, retireAgent, updateAgent } from "@/lib/market/agents";
import { agentJson } from "@/lib/market/serialize";

export const dynamic = "force-dynamic";

// GET /api/agents/{id} - public agent profile (retired agents too: their history stays readable)
export const GET = withApi(getAgent, async ({ params }) => {
  const agent = await findAgentCached(params.id);
  if (!agent) throw notFound("Agent");
  return agentJson(agent);
});

// PUT /api/agents/{id} - the agent or its owner updates profile, runtime or status (omitted fields are kept)
export const PUT = withApi(putAgent, async ({ principal, params, body }) => {
  const agent = await agentForChange(principal, params.id);
  return agentJson(await updateAgent(agent, body));
});

// DELETE /api/agents/{id} - the agent or its owner retires it
export const DELETE = withApi(deleteAgent, async ({ principal, params }) => {
  const agent = await agentForChange(principal, params.id);
  return agentJson(await retireAgent(agent));
});
