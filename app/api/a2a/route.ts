import { marketA2aRoute } from "@/lib/api/contracts/a2a";
import { withApi } from "@/lib/api/handler";
import { appOrigins } from "@/lib/auth/csrf";
import { handleA2ARequest } from "@/lib/protocols/a2a/jsonrpc";
import { marketTarget } from "@/lib/protocols/a2a/targets";

export const dynamic = "force-dynamic";

// POST /api/a2a - the marketplace's A2A JSON-RPC endpoint: search, hire any service, follow the caller's jobs
export const POST = withApi(marketA2aRoute, async ({ req, principal }) =>
  handleA2ARequest(req, principal, marketTarget(appOrigins(req)[0]!)),
);
