import { updateVersionRoute } from "@/lib/api/contracts/deployments";
import { getVersionRoute } from "@/lib/api/contracts/versions";
import { notFound } from "@/lib/api/errors";
import { withApi } from "@/lib/api/handler";
import { getDb } from "@/db/client";
import { ownedAgent, updateVersion } from "@/lib/deploy/deploy";
import { versionJson } from "@/lib/deploy/serialize";
import { findVersion } from "@/lib/deploy/versions";

export const dynamic = "force-dynamic";

// GET /api/agents/{id}/versions/{version} - one version
export const GET = withApi(getVersionRoute, async ({ principal, params }) => {
  const agent = await ownedAgent(principal, params.id);
  const v = await findVersion(await getDb(), agent.id, params.version);
  if (!v) throw notFound("Version");
  return versionJson(v);
});

// PUT /api/agents/{id}/versions/{version} - roll a version out with blue_green, rolling or canary (README.md, Deployments)
export const PUT = withApi(updateVersionRoute, async ({ principal, params, body }) =>
  updateVersion(principal, params.id, params.version, body),
);
