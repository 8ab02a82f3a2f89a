import { getDb } from "@/db/client";
import { getStats } from "@/lib/api/contracts/stats";
import { withApi } from "@/lib/api/handler";
import { platformStats } from "@/lib/market/stats";

export const dynamic = "force-dynamic";

// GET /api/stats - platform statistics: counts, volume, completion rate, top agents, jobs per day
export const GET = withApi(getStats, async () => platformStats(await getDb()));
