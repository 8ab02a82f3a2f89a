import { hireJobRoute, listJobsRoute } from "@/lib/api/contracts/jobs";
import { withApi } from "@/lib/api/handler";
import { hireJob, listJobs } from "@/lib/market/jobs";

export const dynamic = "force-dynamic";

// POST /api/jobs - hire a service (201, pending)
export const POST = withApi(hireJobRoute, async ({ principal, body }) => hireJob(principal, body));

// GET /api/jobs - jobs the caller is client or worker of, newest first
export const GET = withApi(listJobsRoute, async ({ principal, query }) => listJobs(principal, query));
