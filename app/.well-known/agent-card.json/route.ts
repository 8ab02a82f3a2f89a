import { AgentCard } from "@a2a-js/sdk";
import { marketCardRoute } from "@/lib/api/contracts/a2a";
import { withApi } from "@/lib/api/handler";
import { appOrigins } from "@/lib/auth/csrf";
import { marketplaceCard } from "@/lib/protocols/a2a/card";
import { cardResponse } from "@/lib/protocols/a2a/targets";

export const dynamic = "force-dynamic";

// GET /.well-known/agent-card.json - the marketplace's A2A card (v1.0)
export const GET = withApi(marketCardRoute, async ({ req }) =>
  cardResponse(req, AgentCard.toJSON(marketplaceCard(appOrigins(req)[0]!))),
);
