import { z } from "zod";
import { maxChargeSchema } from "./wallet";
import { defineRoute, idParams } from "../contract";
import { pageQuery, pageSchema } from "../pagination";

const tags = ["executions"];
const executionStatus = z.enum(["queued", "starting", "running", "completed", "failed", "stopped", "timeout"]);

const ms = z.number().nullable();
export const executionErrorSchema = z.object({
  code: z.string(),
  message: z.string(),
  details: z.record(z.string(), z.unknown()),
});
export const executionLogSchema = z.object({
  timestamp: z.string(),
  level: z.enum(["info", "error"]),
  message: z.string(),
  context: z.object({ stream: z.enum(["stdout", "stderr", "system"]) }),
});

export const executionSchema = z.object({
  execution_id: z.string().uuid(),
  agent_id: z.string().uuid(),
  agent_name: z.string(),
  status: executionStatus,
  host: z.enum(["local", "fargate", "deployed"]).describe("`deployed`: executed through the deployment router"),
  task_arn: z.string().nullable().describe("The ECS task ARN (Fargate host); null on the local host"),
  endpoint: z.string().nullable().describe("Base URL of the agent's contract server while running"),
  start_time: z.string().describe("ISO timestamp"),
  end_time: z.string().nullable(),
  input: z.record(z.string(), z.unknown()),
  timeout_s: z.number().int(),
  exit_code: z.number().int().nullable(),
  stop_code: z
    .string()
    .nullable()
    .describe("ECS stopCode (EssentialContainerExited, TaskFailedToStart...), UserInitiated or TimedOut"),
  stopped_reason: z.string().nullable(),
  // Deployed executions (docs/agent-contract.md, Executing deployed agents); nulls and defaults for process runs.
  environment: z.enum(["dev", "staging", "prod"]).nullable(),
  version: z.string().nullable().describe("The deployed version that answered (the last attempt's)"),
  priority: z.enum(["low", "normal", "high"]),
  async: z.boolean(),
  progress: z.number().min(0).max(100).nullable(),
  started_at: z.string().nullable().describe("When it first ran (null while queued)"),
  completed_at: z.string().nullable(),
  result: z.object({
    output: z.unknown().describe("The agent's output (null until completed); see docs/agent-contract.md, Results"),
    error: executionErrorSchema.nullable(),
    metadata: z.object({
      execution_time: ms.describe("ms"),
      memory_used: ms.describe("MB, as the agent reported it"),
      cpu_time: ms.describe("ms, as the agent reported it"),
      tokens_used: z.number().int().nullable(),
    }),
  }),
  performance: z.object({
    started_at: z.string().nullable(),
    completed_at: z.string().nullable(),
    duration: ms.describe("ms from first start to the end"),
    memory_peak: ms.describe("MB"),
    cpu_time: ms.describe("ms"),
    queue_time: ms.describe("ms from queued to first start"),
  }),
  attempts: z
    .array(
      z.object({
        attempt: z.number().int(),
        started_at: z.string(),
        ended_at: z.string(),
        version: z.string().nullable(),
        outcome: z.enum(["completed", "failed", "timeout", "retry"]),
        error: z.string().nullable(),
      }),
    )
    .describe("Each finished attempt (retries per retry_config)"),
  callback_url: z.string().nullable(),
  callback_status: z.enum(["pending", "delivered", "failed", "gone"]).nullable(),
  callbacks: z
    .array(
      z.object({
        attempt: z.number().int(),
        at: z.string(),
        status_code: z.number().int().nullable(),
        outcome: z.enum(["delivered", "failed", "refused", "gone"]),
        error: z.string().nullable(),
      }),
    )
    .describe("Each delivery attempt of the callback"),
  logs: z.array(executionLogSchema).optional().describe("The last log lines (single-record reads only)"),
});

export const runBody = z
  .object({
    input: z
      .record(z.string(), z.unknown())
      .default({})
      .describe("Passed to the agent as INPUT_DATA (JSON); limited by EXECUTION_MAX_INPUT_BYTES (413 past it)"),
    timeout_s: z
      .number()
      .int()
      .positive()
      .optional()
      .describe("Stop the execution after this many seconds (at most EXECUTION_MAX_TIMEOUT_S)"),
    max_charge: maxChargeSchema,
  })
  .strict();

// POST /api/agents/{id}/run - start an execution of a runnable agent
export const runAgent = defineRoute({
  method: "POST",
  path: "/api/agents/{id}/run",
  summary:
    "Run an agent: through its deployment router when it has a live deployment, otherwise on its own host (local process or ECS Fargate); returns the execution at once",
  tags,
  auth: "required",
  rateLimit: { name: "runs", per: "principal" },
  scopes: ["executions:write"],
  params: idParams,
  body: runBody,
  response: executionSchema,
  status: 202,
  errors: [402, 404, 409, 413, 422, 429],
});

export const listExecutionsQuery = z.strictObject({
  ...pageQuery,
  status: executionStatus.optional(),
});

// GET /api/agents/{id}/executions - an agent's executions, newest first
export const listAgentExecutionsRoute = defineRoute({
  method: "GET",
  path: "/api/agents/{id}/executions",
  summary: "An agent's executions, newest first (the owner sees all; others only those they started)",
  tags,
  auth: "required",
  scopes: ["executions:read"],
  params: idParams,
  query: listExecutionsQuery,
  response: pageSchema(executionSchema),
});

// GET /api/executions - the caller's own runs, newest first
export const listMyExecutionsRoute = defineRoute({
  method: "GET",
  path: "/api/executions",
  summary:
    "The executions the caller started (a person: also those their agents started), newest first, filtered by status",
  tags,
  auth: "required",
  scopes: ["executions:read"],
  query: listExecutionsQuery,
  response: pageSchema(executionSchema),
});

// GET /api/executions/{id} - the execution record, refreshed from its host
export const getExecutionRoute = defineRoute({
  method: "GET",
  path: "/api/executions/{id}",
  summary: "The execution record, refreshed from its host; 404 unless the caller owns the agent or started it",
  tags,
  auth: "required",
  scopes: ["executions:read"],
  params: idParams,
  response: executionSchema,
});

// POST /api/executions/{id}/stop - stop a live execution
export const stopExecutionRoute = defineRoute({
  method: "POST",
  path: "/api/executions/{id}/stop",
  summary: "Stop a live execution (SIGTERM / StopTask, forced after a grace period); 409 if already finished",
  tags,
  auth: "required",
  scopes: ["executions:write"],
  params: idParams,
  response: executionSchema,
  errors: [404, 409],
});

export const logLineSchema = z.object({
  id: z.number().int(),
  stream: z.enum(["stdout", "stderr", "system"]),
  line: z.string(),
  created_at: z.string(),
});

export const logsQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(1000).default(200),
  cursor: z.string().max(500).optional(),
});

// GET /api/executions/{id}/logs - log lines, oldest first
export const getExecutionLogs = defineRoute({
  method: "GET",
  path: "/api/executions/{id}/logs",
  summary: "Log lines of an execution (stdout, stderr and system lines), oldest first",
  tags,
  auth: "required",
  scopes: ["executions:read"],
  params: idParams,
  query: logsQuery,
  response: pageSchema(logLineSchema),
});

// GET /api/executions/{id}/events - SSE of status changes and log lines
export const streamExecutionEvents = defineRoute({
  method: "GET",
  path: "/api/executions/{id}/events",
  summary:
    "SSE: `execution_*` status events and `log` lines; `id:` is `<event id>.<log id>` for Last-Event-ID resume; ends after the final status",
  tags,
  auth: "required",
  rateLimit: { name: "streams", per: "principal" },
  scopes: ["executions:read"],
  params: idParams,
  stream: true,
});
