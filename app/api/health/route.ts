import { getHealth } from "@/lib/api/contracts/health";
import { withApi } from "@/lib/api/handler";
import { checkHealth } from "@/lib/health";

export const dynamic = "force-dynamic";

// GET /api/health - app and database status
export const GET = withApi(getHealth, async () => {
  const health = await checkHealth();
  return Response.json(health, { status: health.status === "ok" ? 200 : 503 });
});
