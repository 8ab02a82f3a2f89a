import { browseServices, createService } from "@/lib/api/contracts/services";
import { withApi } from "@/lib/api/handler";
import { browseServices as browse } from "@/lib/market/service-search";
import { createService as create } from "@/lib/market/services";

export const dynamic = "force-dynamic";

// POST /api/services - publish a fixed-price service (an agent for itself, a person for an owned agent)
export const POST = withApi(createService, async ({ principal, body }) => {
  const { agent_id, ...input } = body;
  return create(principal, agent_id, input);
});

// GET /api/services - browse active services by text, capability, price, agent and output type
export const GET = withApi(browseServices, async ({ query }) => browse(query));
