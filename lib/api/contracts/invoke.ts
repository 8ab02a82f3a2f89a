import { z } from "zod";
import { defineRoute } from "../contract";
import { pageQuery, pageSchema } from "../pagination";
import { maxChargeSchema } from "./wallet";

// This one endpoint stays camelCase, for the clients written against it before the rest of the API.
export const invokeBody = z.strictObject({
  agentId: z
    .string()
    .min(1)
    .max(200)
    .describe(
      "A configured agent (onboarding, provisioning, mwc), the id of a marketplace agent hosted on AgentCore or deployed (its prod deployment, else its only one), or the id of a running execution",
    ),
  prompt: z.string().min(1, "prompt is required").describe("The prompt (at most INVOKE_MAX_PROMPT_CHARS characters)"),
  sessionId: z
    .string()
    .max(1000)
    .optional()
    .describe(
      "Continue this session (33 to 256 characters); a new one is started when absent. Another caller's session answers 404, a session of another agent 409",
    ),
  maxCharge: maxChargeSchema.describe(
    "The most this invocation may cost, in cents (an agent with a price_per_call); above it 402 and nothing is sent",
  ),
});

export const invokeResponse = z.object({
  response: z.string().describe("The agent's complete answer"),
  sessionId: z.string().describe("The session: the one sent, or a new one"),
  incomplete: z.literal(true).optional().describe("Present when the stream broke after some chunks: a partial answer"),
  metadata: z.object({
    chunks: z.number().int().describe("Chunks received"),
    duration: z.number().int().describe("Milliseconds from request to complete answer"),
  }),
});

// POST /api/agents/invoke - invoke an agent (JSON answer, or SSE chunks with Accept: text/event-stream)
export const invokeAgentRoute = defineRoute({
  method: "POST",
  path: "/api/agents/invoke",
  summary:
    "Invoke an agent and get its answer. With `Accept: text/event-stream` the answer streams: `event: chunk` " +
    '(`{"chunk"}`) as each arrives, then `event: done` (`{ sessionId, metadata, incomplete? }`) or `event: error`.',
  tags: ["invoke"],
  auth: "required",
  rateLimit: { name: "invocations", per: "principal" },
  scopes: ["invoke"],
  body: invokeBody,
  response: invokeResponse,
  errors: [402, 404, 409, 413, 429, 503, 504],
});

export const sessionView = z.object({
  session_id: z.string(),
  target: z.string().describe("config:<key>, agent:<uuid> or execution:<uuid>"),
  agent_id: z.string().uuid().nullable(),
  title: z.string().describe("The first line of the first prompt, shortened"),
  invocation_count: z.number().int().describe("How many invocations of this session the agent answered"),
  created_at: z.string(),
  last_used_at: z.string(),
});

export const listSessionsQuery = z.strictObject({
  agent_id: z.string().min(1).max(200).optional().describe("Only sessions with this agent (as in the invoke request)"),
  ...pageQuery,
});

// GET /api/sessions - the caller's agent sessions, most recently used first
export const listSessionsRoute = defineRoute({
  method: "GET",
  path: "/api/sessions",
  summary: "The caller's agent sessions, most recently used first",
  tags: ["invoke"],
  auth: "required",
  scopes: ["invoke"],
  query: listSessionsQuery,
  response: pageSchema(sessionView),
});

export const sessionDetail = sessionView.extend({
  invocations: z.array(
    z.object({
      outcome: z.string().describe("ok, incomplete, cancelled or an error name"),
      transport: z.enum(["ws", "http"]),
      chunks: z.number().int(),
      duration_ms: z.number().int(),
      first_chunk_ms: z.number().int().nullable(),
      created_at: z.string(),
      prompt: z.string().nullable().describe("The prompt of this invocation (readable by the session's caller only)"),
      answer: z
        .string()
        .nullable()
        .describe(
          "The answer as far as it arrived (cut at 200,000 characters); null for invocations stored before their " +
            "words were",
        ),
    }),
  ),
});

// GET /api/sessions/{sessionId} - one of the caller's sessions with its invocations
export const getSessionRoute = defineRoute({
  method: "GET",
  path: "/api/sessions/{sessionId}",
  summary:
    "One of the caller's sessions with its invocations: metrics, prompt and answer (the words are readable only by " +
    "the session's caller)",
  tags: ["invoke"],
  auth: "required",
  scopes: ["invoke"],
  params: z.object({ sessionId: z.string().min(1).max(256) }),
  response: sessionDetail,
});

const percentiles = z.object({ p50: z.number().nullable(), p95: z.number().nullable(), p99: z.number().nullable() });
export const metricsGroup = z.object({
  invocations: z.number().int(),
  ok: z.number().int(),
  incomplete: z.number().int(),
  errors: z.number().int(),
  errors_by_type: z.record(z.string(), z.number().int()),
  duration_ms: percentiles.extend({ mean: z.number().nullable() }),
  first_chunk_ms: percentiles,
  chunks: z.object({ total: z.number().int(), mean: z.number().nullable() }),
});

export const metricsSummarySchema = metricsGroup.extend({
  since: z.string(),
  scope: z.enum(["own", "all"]).describe("own: the caller's invocations only; all: every caller's (operator)"),
  targets: z.array(metricsGroup.extend({ target: z.string() })),
});

export const metricsQuery = z.strictObject({
  since: z.iso.datetime({ offset: true }).optional().describe("Start of the window (default: 24 hours ago)"),
  target: z.string().min(1).max(200).optional().describe("Only this target (config:<key>, agent:<id>, execution:<id>)"),
});

// GET /api/invocations/metrics - invocation counts, latency percentiles, chunks and errors, overall and per target
export const invocationMetricsRoute = defineRoute({
  method: "GET",
  path: "/api/invocations/metrics",
  summary:
    "Invocations, duration and time-to-first-chunk percentiles, chunks and errors by type, overall and per target. " +
    "Only the caller's own invocations (a person's include their agents'); a person with the operator scope " +
    "(OPERATOR_EMAILS) sees every caller's.",
  tags: ["invoke"],
  auth: "required",
  query: metricsQuery,
  response: metricsSummarySchema,
});
