import { z } from "zod";
import { maxChargeSchema } from "./wallet";
import { defineRoute, idParams } from "../contract";
import { executionLogSchema, executionSchema } from "./executions";

// docs/agent-contract.md, Executing deployed agents: execute a deployed agent (sync or async, queued, retried, called back) and read it back.

const tags = ["executions"];

export const retryConfigSchema = z.strictObject({
  max_retries: z.number().int().min(0).max(10).default(3),
  retry_delay: z.number().min(0).max(3600).default(1).describe("Seconds before the first retry"),
  backoff_multiplier: z.number().min(1).max(10).default(2),
});

export const executeBody = z.strictObject({
  execution_id: z
    .string()
    .uuid()
    .optional()
    .describe(
      "A UUID of the caller's choosing; it is the idempotency key: the same id with the same body answers the " +
        "same execution, with another body 422",
    ),
  input_data: z
    .strictObject({
      parameters: z.record(z.string(), z.unknown()).default({}).describe("The agent's input (`input` on its call)"),
      context: z
        .strictObject({
          user_id: z.string().max(256).optional(),
          session_id: z.string().max(256).optional(),
          request_id: z.string().max(256).optional(),
          metadata: z.record(z.string(), z.unknown()).optional(),
        })
        .optional(),
    })
    .default({ parameters: {} }),
  max_charge: maxChargeSchema,
  execution_options: z
    .strictObject({
      timeout: z.number().int().positive().optional().describe("Seconds, all attempts together"),
      priority: z.enum(["low", "normal", "high"]).default("normal"),
      async: z.boolean().default(false),
      callback_url: z
        .string()
        .url()
        .max(2048)
        .optional()
        .describe("https only; POSTed the execution record when an async execution ends (Standard Webhooks)"),
      retry_config: retryConfigSchema.optional(),
    })
    .default({ priority: "normal", async: false }),
  monitoring: z
    .strictObject({
      trace_enabled: z.boolean().default(true),
      custom_metrics: z.record(z.string(), z.unknown()).optional(),
    })
    .optional(),
});
export type ExecuteBody = z.infer<typeof executeBody>;

export const executeQuery = z.strictObject({
  environment: z
    .enum(["dev", "staging", "prod"])
    .optional()
    .describe("Which deployment runs it: default prod, else the agent's only environment"),
});

export const executeSyncSchema = z.object({
  execution_id: z.string().uuid(),
  status: z.enum(["completed", "failed", "timeout"]),
  result: executionSchema.shape.result,
  performance: z.object({
    started_at: z.string().nullable(),
    completed_at: z.string().nullable(),
    duration: z.number().nullable(),
    queue_time: z.number().nullable(),
  }),
  logs: z.array(executionLogSchema),
});

export const executeAsyncSchema = z.object({
  execution_id: z.string().uuid(),
  status: z.enum(["queued", "running", "completed", "failed", "timeout", "stopped"]),
  estimated_completion: z.string().describe("ISO timestamp"),
  status_url: z.string(),
  callback_url: z.string().nullable(),
});

// POST /api/agents/{id}/execute - run a deployed agent with input, sync or async
export const executeAgentRoute = defineRoute({
  method: "POST",
  path: "/api/agents/{id}/execute",
  summary:
    "Execute a deployed agent through its deployment's router. Sync (default) waits up to " +
    "EXECUTE_SYNC_WAIT_S and answers 200 with the result; past it, or with `async: true`, 202 with the status URL. " +
    "Needs `agent:execute` (or `invoke`).",
  tags,
  auth: "required",
  rateLimit: { name: "invocations", per: "principal" },
  params: idParams,
  query: executeQuery,
  body: executeBody,
  response: executeSyncSchema,
  otherResponses: { 202: { description: "Queued or still running", schema: executeAsyncSchema } },
  errors: [402, 403, 404, 409, 413, 422, 429],
});

export const agentExecutionParams = z.strictObject({
  id: z.string().uuid(),
  executionId: z.string().uuid(),
});

// GET /api/agents/{id}/executions/{executionId} - the status read of one execution
export const getAgentExecutionRoute = defineRoute({
  method: "GET",
  path: "/api/agents/{id}/executions/{executionId}",
  summary: "One execution of the agent: the same record as GET /api/executions/{id}",
  tags,
  auth: "required",
  scopes: ["executions:read"],
  params: agentExecutionParams,
  response: executionSchema,
});
