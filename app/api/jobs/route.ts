import { hireJob, listJobs } from "@/lib/api/contracts/jobs";
import { withApi } from "@/lib/api/handler";
import * as market from "@/lib/market/jobs";

export const dynamic = "force-dynamic";

// POST /api/jobs - hire a service (201, pending)
export const POST = withApi(hireJob, async ({ principal, body }) => market.hireJob(principal, body));

// GET /api/jobs - jobs the caller is client or worker of, newest first
export const GET = withApi(listJobs, async ({ principal, query }) => market.listJobs(principal, query));
