import { listVersionsRoute } from "@/lib/api/contracts/versions";
import { withApi } from "@/lib/api/handler";
import { getDb } from "@/db/client";
import { ownedAgent } from "@/lib/deploy/deploy";
import { versionJson } from "@/lib/deploy/serialize";
import { listVersions } from "@/lib/deploy/versions";

export const dynamic = "force-dynamic";

// GET /api/agents/{id}/versions - the agent's versions, newest first
export const GET = withApi(listVersionsRoute, async ({ principal, params, query }) => {
  const agent = await ownedAgent(principal, params.id);
  const page = await listVersions(await getDb(), agent.id, query);
  return { ...page, data: page.data.map(versionJson) };
});
