import { startJobRoute } from "@/lib/api/contracts/jobs";
import { withApi } from "@/lib/api/handler";
import { startJob } from "@/lib/market/jobs";

export const dynamic = "force-dynamic";

// POST /api/jobs/{id}/start - worker starts the job (pending -> in_progress)
export const POST = withApi(startJobRoute, async ({ principal, params }) => startJob(principal, params.id));
