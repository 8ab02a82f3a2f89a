import { AgentCard } from "@a2a-js/sdk";
import { agentCardRoute } from "@/lib/api/contracts/a2a";
import { withApi } from "@/lib/api/handler";
import { appOrigins } from "@/lib/auth/csrf";
import { agentTarget, cardResponse } from "@/lib/protocols/a2a/targets";

export const dynamic = "force-dynamic";

// GET /api/agents/{id}/a2a/agent-card.json - the agent's A2A card: its active services as skills
export const GET = withApi(agentCardRoute, async ({ req, params }) => {
  const target = await agentTarget(params.id, appOrigins(req)[0]!);
  return cardResponse(req, AgentCard.toJSON(await target.card()));
});
