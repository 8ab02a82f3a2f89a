import { z } from "zod";
import { GRANULARITIES, METRIC_NAMES } from "@/lib/metrics/series";
import { defineRoute, idParams } from "../contract";
import { environmentSchema } from "./deploy-settings";

/*
 * Monitoring (README.md, Deployments): an agent's call metrics from the rollups the router records, and the
 * platform's health with real probes.
 */

export const MAX_WINDOW_DAYS = 90;
/** Buckets one answer may hold: 31 days of minutes. A longer window asks for a coarser granularity. */
export const MAX_POINTS = 31 * 1440;

const metricList = new RegExp(`^(${METRIC_NAMES.join("|")})(,(${METRIC_NAMES.join("|")}))*$`);

export const agentMetricsQuery = z
  .strictObject({
    start_time: z.iso.datetime({ offset: true }).describe("Start of the window (ISO 8601), rounded down to a bucket"),
    end_time: z.iso.datetime({ offset: true }).describe("End of the window (ISO 8601, exclusive)"),
    granularity: z.enum(Object.keys(GRANULARITIES) as [keyof typeof GRANULARITIES]).default("5m"),
    metrics: z
      .string()
      .regex(metricList, `a comma list of ${METRIC_NAMES.join(", ")}`)
      .optional()
      .describe(`Comma list of ${METRIC_NAMES.join(", ")}; default: all`),
    environment: environmentSchema.optional().describe("Only calls in this environment; default: every one"),
    version: z.string().min(1).max(64).optional().describe("Only calls served by this version"),
  })
  .superRefine((q, ctx) => {
    const start = Date.parse(q.start_time);
    const end = Date.parse(q.end_time);
    if (!(start < end)) {
      ctx.addIssue({ code: "custom", path: ["end_time"], message: "end_time must be after start_time" });
    } else if (end - start > MAX_WINDOW_DAYS * 86_400_000) {
      ctx.addIssue({
        code: "custom",
        path: ["end_time"],
        message: `the window may span ${MAX_WINDOW_DAYS} days at most`,
      });
    } else if ((end - start) / GRANULARITIES[q.granularity] > MAX_POINTS) {
      ctx.addIssue({
        code: "custom",
        path: ["granularity"],
        message: `more than ${MAX_POINTS} buckets: use a coarser granularity or a shorter window`,
      });
    }
  });

const point = z.object({ timestamp: z.string(), value: z.number() });
const series = z
  .object({
    execution_count: z.array(point).optional().describe("Calls per bucket"),
    response_time: z
      .array(z.object({ timestamp: z.string(), avg: z.number(), p50: z.number(), p95: z.number(), p99: z.number() }))
      .optional()
      .describe("Milliseconds; percentiles exact to the histogram bucket (at most 12% above the true value)"),
    error_rate: z.array(point).optional().describe("Failed calls (errors and timeouts) over calls, 0-1"),
    throughput: z.array(point).optional().describe("Calls per second over the bucket"),
    resource_usage: z
      .array(
        z.object({
          timestamp: z.string(),
          cpu: z.number().describe("Mean CPU utilization of the instances' allowance, 0-1"),
          memory: z.number().describe("Mean memory use over the version's memory_limit, 0-1"),
          disk: z.number().nullable().describe("null: the hosts set no disk quota to measure against"),
          memory_bytes: z.number().int().describe("Peak memory of one instance"),
          disk_bytes: z.number().int().describe("Peak scratch disk use of one instance"),
        }),
      )
      .optional()
      .describe("Buckets with host samples only"),
  })
  .describe("The selected series; buckets without calls or samples are left out");

const summary = z.object({
  total_executions: z.number().int(),
  success_rate: z.number().nullable().describe("0-1; null without calls"),
  avg_response_time: z.number().nullable().describe("ms"),
  response_time_p50: z.number().nullable().describe("ms, over the whole window (merged histograms)"),
  response_time_p95: z.number().nullable(),
  response_time_p99: z.number().nullable(),
  peak_throughput: z.number().describe("Highest calls per second of a bucket"),
  uptime: z
    .number()
    .nullable()
    .describe("Percent of the buckets with calls (minutes for 1m/5m, hours for 1h/1d) in which a call succeeded"),
});

export const agentMetricsResponse = z.object({
  agent_id: z.string().uuid(),
  time_range: z.object({
    start: z.string().describe("start_time rounded down to the granularity"),
    end: z.string(),
    granularity: z.string(),
  }),
  environment: environmentSchema.nullable(),
  version: z.string().nullable(),
  metrics: series,
  summary,
  by_version: z
    .array(z.object({ version_id: z.string().uuid(), version: z.string(), metrics: series, summary }))
    .describe("The same per version when several served calls in the window (a canary and its baseline); else empty"),
});

// GET /api/agents/{id}/metrics - an agent's call metrics over a window
export const getAgentMetrics = defineRoute({
  method: "GET",
  path: "/api/agents/{id}/metrics",
  summary: "An agent's call metrics over a window: series per bucket, a summary, and the same per version",
  tags: ["monitoring"],
  auth: "required",
  scopes: ["agent:monitor"],
  params: idParams,
  query: agentMetricsQuery,
  response: agentMetricsResponse,
});

const componentStatus = z.enum(["healthy", "degraded", "unhealthy", "not_configured"]);

export const systemHealthResponse = z.object({
  overall_status: z.enum(["healthy", "degraded", "unhealthy"]),
  timestamp: z.string(),
  components: z.object({
    database: z.object({
      status: componentStatus,
      driver: z.string(),
      query_performance: z.number().nullable().describe("ms for SELECT 1"),
      connection_count: z.number().int().nullable().describe("Sessions open on this database"),
    }),
    monitoring: z.object({
      status: componentStatus,
      metrics_lag: z
        .number()
        .nullable()
        .describe("Seconds since this process last wrote metrics while some wait; 0 when none wait"),
      log_ingestion_rate: z.number().nullable().describe("Calls recorded per second over the last 5 minutes"),
      pending_buckets: z.number().int(),
      last_flush_at: z.string().nullable(),
      last_error: z.string().nullable(),
    }),
    queue: z.object({
      status: componentStatus,
      schema_version: z.string().nullable().describe("pg-boss schema version"),
      queued_jobs: z.number().int().nullable(),
    }),
    agentcore_service: z.object({
      status: componentStatus,
      response_time: z.number().nullable().describe("ms to open a connection to the AgentCore endpoint"),
      last_check: z.string(),
      message: z.string().nullable(),
    }),
    sandbox: z.object({
      status: componentStatus,
      available: z.boolean(),
      cgroups: z.boolean(),
      message: z.string().nullable(),
    }),
  }),
  capacity: z
    .object({
      total_agents: z.number().int().nullable().describe("Agents not retired"),
      active_agents: z.number().int().nullable().describe("Agents with a live version in some environment"),
      total_executions_per_minute: z.number().int().nullable().describe("Calls recorded in the last complete minute"),
      resource_utilization: z.object({
        cpu: z.number().describe("This app host's load average over its CPUs, 0-1"),
        memory: z.number().describe("This app host's memory in use, 0-1"),
        network: z.number().nullable().describe("null: no link capacity is known to measure against"),
      }),
      instances: z.object({
        running: z.number().int().nullable().describe("Instances starting, healthy or unhealthy on every host"),
        local_running: z.number().int().nullable(),
        local_limit: z.number().int().describe("DEPLOY_LOCAL_MAX_INSTANCES"),
      }),
      sandboxes_available: z
        .number()
        .int()
        .nullable()
        .describe("Local instances that may still start: 0 without a sandbox, null when unknown"),
      database_pool: z.object({
        max: z.number().int(),
        total: z.number().int().nullable(),
        idle: z.number().int().nullable(),
        waiting: z.number().int().nullable(),
      }),
    })
    .describe("Counts are null when the database does not answer"),
});

// GET /api/system/health - the platform's components and capacity
export const getSystemHealth = defineRoute({
  method: "GET",
  path: "/api/system/health",
  summary: "Platform health: each component probed (database, metrics, queue, AgentCore, sandbox) and capacity",
  tags: ["monitoring"],
  auth: "required",
  scopes: ["system:health"],
  response: systemHealthResponse,
  otherResponses: { 503: { description: "Unhealthy: the database does not answer", schema: systemHealthResponse } },
});
