import { getDb } from "@/db/client";
import { invocationMetricsRoute } from "@/lib/api/contracts/invoke";
import { withApi } from "@/lib/api/handler";
import { isOperator } from "@/lib/auth/operator";
import { partyOf } from "@/lib/auth/principal";
import { metricsSummary } from "@/lib/invoke/metrics";

export const dynamic = "force-dynamic";

const DAY_MS = 24 * 60 * 60 * 1000;

// GET /api/invocations/metrics - the caller's invocations (an operator: everyone's), duration and first-chunk
// percentiles, chunks, errors by type
export const GET = withApi(invocationMetricsRoute, async ({ query, principal }) =>
  metricsSummary(await getDb(), {
    since: query.since ? new Date(query.since) : new Date(Date.now() - DAY_MS),
    target: query.target,
    scope: isOperator(principal) ? "all" : partyOf(principal),
  }),
);
