import { getMe, patchMe } from "@/lib/api/contracts/agents";
import { withApi } from "@/lib/api/handler";
import { meAgent, updateAgent } from "@/lib/market/agents";
import { agentJson } from "@/lib/market/serialize";

export const dynamic = "force-dynamic";

// GET /api/agents/me - the calling agent (a person: ?agent_id= of an owned agent)
export const GET = withApi(getMe, async ({ principal, query }) => agentJson(await meAgent(principal, query.agent_id)));

// PATCH /api/agents/me - update the calling agent's profile and runtime
export const PATCH = withApi(patchMe, async ({ principal, query, body }) => {
  const agent = await meAgent(principal, query.agent_id);
  return agentJson(await updateAgent(agent, body));
});
