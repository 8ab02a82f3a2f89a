import { getJob } from "@/lib/api/contracts/jobs";
import { withApi } from "@/lib/api/handler";
import { getJobDetail } from "@/lib/market/jobs";

export const dynamic = "force-dynamic";

// GET /api/jobs/{id} - job detail for its client or worker (others 404)
export const GET = withApi(getJob, async ({ principal, params }) => getJobDetail(principal, params.id));
