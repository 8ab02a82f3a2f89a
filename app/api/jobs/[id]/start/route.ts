import { startJob } from "@/lib/api/contracts/jobs";
import { withApi } from "@/lib/api/handler";
import * as jobs from "@/lib/market/jobs";

export const dynamic = "force-dynamic";

// POST /api/jobs/{id}/start - worker starts the job (pending -> in_progress)
export const POST = withApi(startJob, async ({ principal, params }) => jobs.startJob(principal, params.id));
