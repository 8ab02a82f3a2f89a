import { getDb } from "@/db/client";
import { getGraph } from "@/lib/api/contracts/stats";
import { withApi } from "@/lib/api/handler";
import { collaborationGraph } from "@/lib/market/graph";

export const dynamic = "force-dynamic";

// GET /api/graph - collaboration graph: agents as nodes, hires as weighted client -> worker edges
export const GET = withApi(getGraph, async () => collaborationGraph(await getDb()));
