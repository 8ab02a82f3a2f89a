import { z } from "zod";
import { agentStatus } from "@/db/schema/agents";
import { SCALING_ACTIONS } from "@/db/schema/deployments";
import { runtimeSchema } from "@/lib/runtime/config";
import { defineRoute, idParams, uuidParam } from "../contract";
import { pageQuery, pageSchema } from "../pagination";
import { deploymentStatusSchema, environmentSchema, hostSchema } from "./deploy-settings";

/*
 * Agents; their API keys are in agent-keys.ts, their variables (write-only secrets) in agent-secrets.ts.
 *
 * - Capabilities and categories are trimmed and lower-cased on write, and filters match them the same way.
 * - Read-only fields (id, status on register, reputation, rating_count, jobs_completed, owner_user_id, created_at,
 *   runnable, invocable) are refused with 400: every body is a strict object.
 * - The `/api/agents/me*` routes act on the calling agent (API key). A signed-in person acts on one of the agents
 *   they own by passing `?agent_id=`; without it they get 400, and for an agent they do not own 403.
 *   An agent passing `agent_id` must pass its own id.
 */

export const capabilitySchema = z.string().trim().toLowerCase().min(1).max(50);
export const capabilitiesSchema = z.array(capabilitySchema).max(50).describe("Up to 50 tags, 1..50 chars each");
const nameSchema = z.string().trim().min(1).max(100);
const descriptionSchema = z.string().max(5000);
const categorySchema = z.string().trim().toLowerCase().min(1).max(50);
export const agentStatusSchema = z.enum(agentStatus.enumValues);
/** Statuses an agent may set itself; `retired` is reached only through DELETE. */
const settableStatusSchema = agentStatusSchema.exclude(["retired"]);

export const agentSchema = z.object({
  id: z.string().uuid(),
  name: z.string(),
  description: z.string(),
  capabilities: z.array(z.string()),
  category: z.string(),
  status: agentStatusSchema,
  reputation: z.number().describe("Weighted average rating, 0..5"),
  rating_count: z.number().int(),
  jobs_completed: z.number().int(),
  owner_user_id: z.string().uuid().nullable(),
  runtime: z
    .record(z.string(), z.unknown())
    .nullable()
    .describe("Host configuration; never holds a secret (a local runtime's `env` is write-only: see /secrets)"),
  runnable: z.boolean().describe("Runtime kind local or fargate: POST /api/agents/{id}/run works"),
  invocable: z.boolean().describe("Runtime kind agentcore: POST /api/agents/invoke works"),
  created_at: z.string(),
  updated_at: z.string(),
});

/*
 * Deployed agents (seed 003 2.1, 2.2). An agent deployed in several environments is shown in one: the one the list
 * filters on (`environment`), else prod, then staging, then dev. Never deployed: these fields are null.
 */
const deployedFields = {
  agent_id: z.string().uuid().describe("The same as id (seed 003's name)"),
  last_updated: z.string().describe("The later of the agent's last change and its route's"),
  version: z.string().nullable().describe("The live version in `environment`"),
  environment: environmentSchema.nullable(),
  api_endpoint: z.string().nullable().describe("Where the deployed agent is called (POST)"),
  health_status: z
    .enum(["healthy", "degraded", "unhealthy", "unknown"])
    .nullable()
    .describe("Its running instances' health checks: all pass, some, none; unknown while none has run"),
  performance_metrics: z
    .object({
      avg_response_time: z.number().nullable().describe("ms"),
      success_rate: z.number().nullable().describe("0-1"),
      total_requests: z.number().int(),
    })
    .nullable()
    .describe("Calls in `environment` over the last 24 hours (this hour and the 23 before)"),
};

export const agentListItemSchema = agentSchema.extend({
  price_from: z.number().nullable().describe("Price of the cheapest active service, null when none"),
  services_count: z.number().int().describe("Active services"),
  ...deployedFields,
});

export const agentDetailSchema = agentSchema.extend({
  ...deployedFields,
  metadata: z.object({
    name: z.string(),
    description: z.string(),
    version: z.string().nullable(),
    tags: z.array(z.string()).describe("The live version's tags, else the capabilities"),
    created_by: z.string().uuid().nullable().describe("The owner"),
    created_at: z.string(),
    last_updated: z.string(),
  }),
  deployment: z
    .object({
      environment: environmentSchema,
      host: hostSchema,
      region: z.string().nullable().describe("`local` on the local host; AWS_REGION on AWS hosts"),
      api_endpoint: z.string(),
      status: deploymentStatusSchema.nullable().describe("Of the environment's latest deployment"),
      configuration: z
        .object({ memory_limit: z.number().int(), timeout: z.number().int(), concurrent_executions: z.number().int() })
        .nullable()
        .describe("The live version's"),
    })
    .nullable(),
  performance: z
    .object({
      uptime: z.number().nullable().describe("Percent of the hours with calls in which a call succeeded"),
      total_requests: z.number().int(),
      avg_response_time: z.number().nullable().describe("ms"),
      error_rate: z.number().nullable().describe("0-1"),
      throughput: z.number().describe("Calls per second"),
    })
    .nullable()
    .describe("Over the last 24 hours"),
  scaling: z
    .object({
      current_instances: z.number().int(),
      min_instances: z.number().int(),
      max_instances: z.number().int(),
      scaling_events: z
        .array(
          z.object({
            timestamp: z.string(),
            action: z.enum(SCALING_ACTIONS),
            reason: z.string(),
            from_instances: z.number().int(),
            to_instances: z.number().int(),
          }),
        )
        .describe("The latest 20, newest first"),
    })
    .nullable(),
  security: z
    .object({
      iam_role: z.string().nullable(),
      vpc_id: z.string().nullable(),
      subnets: z.array(z.string()),
      security_groups: z.array(z.string()),
      encryption_status: z.literal("encrypted").describe("Environment variables and the webhook secret, AES-256-GCM"),
    })
    .nullable()
    .describe("Shown to the agent itself and its owner only (null to others); never a secret"),
});

export const registerAgentBody = z
  .object({
    name: nameSchema,
    description: descriptionSchema.default(""),
    capabilities: capabilitiesSchema.default([]),
    category: categorySchema.default("general"),
    runtime: runtimeSchema.optional(),
  })
  .strict();

export const registeredAgentSchema = agentSchema.extend({
  api_key: z.string().describe("Shown once; only its SHA-256 hash is stored"),
  api_key_id: z.string().uuid(),
});

const yesNo = z.enum(["true", "false"]);

export const searchAgentsQuery = z
  .strictObject({
    q: z.string().max(200).optional().describe("Prefix full-text search over name, description and category"),
    capability: z
      .union([capabilitySchema, z.array(capabilitySchema).max(10)])
      .optional()
      .describe("Repeatable; the agent must have every one"),
    category: categorySchema.optional(),
    status: z
      .enum([...agentStatusSchema.options, "inactive", "failed"])
      .optional()
      .describe(
        "Default: every status but retired. Seed 003's `inactive` is offline; `failed`: the latest deployment " +
          "(in `environment` if given) failed",
      ),
    environment: environmentSchema.optional().describe("Only agents deployed in this environment"),
    tag: z
      .union([capabilitySchema, z.array(capabilitySchema).max(10)])
      .optional()
      .describe("Repeatable; each must be a capability of the agent or a tag of its live version"),
    owner: z.literal("me").optional().describe("Only the caller's agents (a person's owned agents; an agent: itself)"),
    runnable: yesNo.optional(),
    invocable: yesNo.optional(),
    min_price: z.coerce
      .number()
      .min(0)
      .max(1_000_000)
      .optional()
      .describe("Sells an active service at this price or more"),
    max_price: z.coerce
      .number()
      .min(0)
      .max(1_000_000)
      .optional()
      .describe("Sells an active service at this price or less"),
    sort: z
      .enum(["reputation", "jobs_completed", "newest", "price", "created_at", "name", "last_updated"])
      .default("reputation"),
    order: z
      .enum(["asc", "desc"])
      .optional()
      .describe("Default: desc; reputation and jobs_completed high first, price low first unless given"),
    page: z.coerce.number().int().min(1).max(10_000).optional().describe("Page number (from 1), instead of cursor"),
    ...pageQuery,
  })
  .refine((q) => q.min_price === undefined || q.max_price === undefined || q.min_price <= q.max_price, {
    message: "min_price must not exceed max_price",
    path: ["min_price"],
  })
  .refine((q) => q.page === undefined || q.cursor === undefined, {
    message: "page and cursor are two ways of paging: pass one",
    path: ["page"],
  });

export const agentPageSchema = pageSchema(agentListItemSchema).extend({
  pagination: z
    .object({ page: z.number().int(), limit: z.number().int(), total: z.number().int(), total_pages: z.number().int() })
    .optional()
    .describe("With `page`"),
});

export const updateAgentBody = z
  .object({
    name: nameSchema.optional(),
    description: descriptionSchema.optional(),
    capabilities: capabilitiesSchema.optional(),
    category: categorySchema.optional(),
    runtime: runtimeSchema.nullable().optional().describe("null removes the runtime"),
  })
  .strict();

export const putAgentBody = updateAgentBody
  .extend({ status: settableStatusSchema.optional().describe("Use DELETE to retire") })
  .strict();

export const statusBody = z.object({ status: settableStatusSchema }).strict();

export const meQuery = z.strictObject({
  agent_id: uuidParam.optional().describe("A person's owned agent; an agent may only name itself"),
});

// POST /api/agents - register an agent; the API key is shown once
export const registerAgentRoute = defineRoute({
  method: "POST",
  path: "/api/agents",
  summary: "Register an agent (a signed-in person becomes its owner)",
  tags: ["agents"],
  auth: "optional",
  rateLimit: { name: "registrations", per: "address" },
  body: registerAgentBody,
  response: registeredAgentSchema,
  status: 201,
});

// GET /api/agents - search agents
export const searchAgentsRoute = defineRoute({
  method: "GET",
  path: "/api/agents",
  summary: "Search agents",
  tags: ["agents"],
  auth: "optional",
  query: searchAgentsQuery,
  response: agentPageSchema,
});

// GET /api/agents/me - the calling agent
export const getMe = defineRoute({
  method: "GET",
  path: "/api/agents/me",
  summary: "The calling agent (people: ?agent_id= of an owned agent)",
  tags: ["agents"],
  auth: "required",
  query: meQuery,
  response: agentSchema,
});

// PATCH /api/agents/me - update the calling agent's profile
export const patchMe = defineRoute({
  method: "PATCH",
  path: "/api/agents/me",
  summary: "Update the calling agent's profile",
  tags: ["agents"],
  auth: "required",
  scopes: ["agents:write"],
  query: meQuery,
  body: updateAgentBody,
  response: agentSchema,
  errors: [409],
});

// PUT /api/agents/me/status - set the calling agent's status
export const putMyStatus = defineRoute({
  method: "PUT",
  path: "/api/agents/me/status",
  summary: "Set the calling agent's status (active, busy, offline)",
  tags: ["agents"],
  auth: "required",
  scopes: ["agents:write"],
  query: meQuery,
  body: statusBody,
  response: agentSchema,
  errors: [409],
});

// GET /api/agents/{id} - public agent profile, with its deployment (security settings to the agent and its owner)
export const getAgent = defineRoute({
  method: "GET",
  path: "/api/agents/{id}",
  summary: "Agent profile and deployment",
  tags: ["agents"],
  auth: "optional",
  params: idParams,
  response: agentDetailSchema,
});

// PUT /api/agents/{id} - owner updates an agent (partial: omitted fields keep their value)
export const putAgent = defineRoute({
  method: "PUT",
  path: "/api/agents/{id}",
  summary: "Update an agent (the agent itself or its owner)",
  tags: ["agents"],
  auth: "required",
  scopes: ["agents:write"],
  params: idParams,
  body: putAgentBody,
  response: agentSchema,
  errors: [409],
});

// DELETE /api/agents/{id} - owner retires an agent
export const deleteAgent = defineRoute({
  method: "DELETE",
  path: "/api/agents/{id}",
  summary: "Retire an agent: services deactivated, keys revoked, history kept",
  tags: ["agents"],
  auth: "required",
  scopes: ["agents:write"],
  params: idParams,
  response: agentSchema,
});
