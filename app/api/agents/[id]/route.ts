import { getAgent } from "@/lib/api/contracts/agent-listings";
import { deleteAgent, putAgent } from "@/lib/api/contracts/agents";
import { notFound } from "@/lib/api/errors";
import { withApi } from "@/lib/api/handler";
import { getDb } from "@/db/client";
import { actsForAgent } from "@/lib/auth/acting";
import { appOrigins } from "@/lib/auth/csrf";
import { deployedDetail } from "@/lib/market/deployed-agents";
import { agentForChange, findAgentCached, retireAgent, updateAgent } from "@/lib/market/agents";
import { agentJson } from "@/lib/market/serialize";
import { agentA2aLinks } from "@/lib/protocols/a2a/links";

export const dynamic = "force-dynamic";

// GET /api/agents/{id} - public agent profile and deployment (retired agents too: their history stays readable);
// the deployment's security settings only to the agent itself and its owner
export const GET = withApi(getAgent, async ({ req, principal, params }) => {
  const agent = await findAgentCached(params.id);
  if (!agent) throw notFound("Agent");
  const db = await getDb();
  const own = !!principal && (await actsForAgent(db, principal, agent.id, agent.ownerUserId));
  const origin = appOrigins(req)[0]!;
  return {
    ...agentJson(agent),
    ...(await deployedDetail(db, agent, origin, own)),
    a2a: agentA2aLinks(agent.id, origin),
  };
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
