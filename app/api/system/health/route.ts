import { getSystemHealth } from "@/lib/api/contracts/metrics";
import { withApi } from "@/lib/api/handler";
import { systemHealth } from "@/lib/metrics/system-health";

export const dynamic = "force-dynamic";

// GET /api/system/health - components probed and capacity; 503 when unhealthy (the database does not answer)
export const GET = withApi(getSystemHealth, async () => {
  const health = await systemHealth();
  return Response.json(health, { status: health.overall_status === "unhealthy" ? 503 : 200 });
});
