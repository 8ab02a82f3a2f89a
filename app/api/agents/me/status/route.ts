import { putMyStatus } from "@/lib/api/contracts/agents";
import { withApi } from "@/lib/api/handler";
import { meAgent, setAgentStatus } from "@/lib/market/agents";
import { agentJson } from "@/lib/market/serialize";

export const dynamic = "force-dynamic";

// PUT /api/agents/me/status - set the calling agent's status (active, busy, offline)
export const PUT = withApi(putMyStatus, async ({ principal, query, body }) => {
  const agent = await meAgent(principal, query.agent_id);
  return agentJson(await setAgentStatus(agent, body.status));
});
