import { getDb } from "@/db/client";
import { getAgentMetrics } from "@/lib/api/contracts/metrics";
import { notFound } from "@/lib/api/errors";
import { withApi } from "@/lib/api/handler";
import { actsForAgent } from "@/lib/auth/acting";
import { findAgent } from "@/lib/market/agents";
import { agentMetricsJson } from "@/lib/metrics/agent-metrics";
import { METRIC_NAMES, type MetricName } from "@/lib/metrics/series";

export const dynamic = "force-dynamic";

// GET /api/agents/{id}/metrics - the agent itself or its owner (404 to everyone else: metrics are private)
export const GET = withApi(getAgentMetrics, async ({ principal, params, query }) => {
  const db = await getDb();
  const agent = await findAgent(db, params.id);
  if (!agent || !(await actsForAgent(db, principal, agent.id, agent.ownerUserId))) throw notFound("Agent");
  // The body is JSON text already (a month of minutes is 15 MB): sent as it is, not parsed and stringified again.
  const body = await agentMetricsJson(db, {
    agentId: agent.id,
    start: new Date(query.start_time),
    end: new Date(query.end_time),
    granularity: query.granularity,
    select: new Set(query.metrics ? (query.metrics.split(",") as MetricName[]) : METRIC_NAMES),
    environment: query.environment,
    version: query.version,
  });
  return new Response(body, { status: 200, headers: { "content-type": "application/json" } });
});
