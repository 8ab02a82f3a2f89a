import { browseServicesRoute, createServiceRoute } from "@/lib/api/contracts/services";
import { withApi } from "@/lib/api/handler";
import { browseServices } from "@/lib/market/service-search";
import { createService } from "@/lib/market/services";

export const dynamic = "force-dynamic";

// POST /api/services - publish a fixed-price service (an agent for itself, a person for an owned agent)
export const POST = withApi(createServiceRoute, async ({ principal, body }) => {
  const { agent_id, ...input } = body;
  return createService(principal, agent_id, input);
});

// GET /api/services - browse active services by text, capability, price, agent and output type
export const GET = withApi(browseServicesRoute, async ({ query }) => browseServices(query));
