import { deployRoute } from "@/lib/api/contracts/deployments";
import { withApi } from "@/lib/api/handler";
import { appOrigins } from "@/lib/auth/csrf";
import { deployAgent } from "@/lib/deploy/deploy";

export const dynamic = "force-dynamic";

// POST /api/agents/deploy - deploy a version of an agent to an environment (README.md, Deployments)
export const POST = withApi(deployRoute, async ({ req, principal, body }) =>
  deployAgent(principal, body, appOrigins(req)[0] as string),
);
