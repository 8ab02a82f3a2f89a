import { legacyMarketCardRoute } from "@/lib/api/contracts/a2a";
import { withApi } from "@/lib/api/handler";
import { appOrigins } from "@/lib/auth/csrf";
import { marketplaceCard } from "@/lib/protocols/a2a/card";
import { toLegacyCard } from "@/lib/protocols/a2a/legacy-card";
import { cardResponse } from "@/lib/protocols/a2a/targets";

export const dynamic = "force-dynamic";

// GET /.well-known/agent.json - the marketplace's A2A card in the v0.3 shape (the v0.3 path)
export const GET = withApi(legacyMarketCardRoute, async ({ req }) =>
  cardResponse(req, toLegacyCard(marketplaceCard(appOrigins(req)[0]!))),
);
