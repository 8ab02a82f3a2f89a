import { z } from "zod";
import { SCALING_ACTIONS } from "@/db/schema/deployments";
import { defineRoute, idParams } from "../contract";
import { pageQuery, pageSchema } from "../pagination";
import { agentSchema, agentStatusSchema, capabilitySchema, categorySchema } from "./agents";
import { deploymentStatusSchema, environmentSchema, hostSchema } from "./deploy-settings";

/*
 * What the market shows of an agent: the search list and the profile, each with the agent's deployment, health and
 * performance (README.md, Deployments). The agent itself and its writes are in ./agents.ts.
 */

/*
 * Deployed agents (README.md, Deployments). An agent deployed in several environments is shown in one: the one the list
 * filters on (`environment`), else prod, then staging, then dev. Never deployed: these fields are null.
 */
const deployedFields = {
  agent_id: z.string().uuid().describe("The same as id (the deployments API's name)"),
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
  a2a: z
    .object({ card_url: z.string(), endpoint: z.string() })
    .describe("The agent over A2A (docs/protocols.md): its agent card and its JSON-RPC endpoint"),
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
        "Default: every status but retired. `inactive` is offline; `failed`: the latest deployment " +
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
    has_services: yesNo.optional().describe("true: sells at least one active service; false: sells none"),
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
      .default("reputation")
      .describe(
        "reputation: a Bayesian average of the rating (pulled towards 3.5 stars as if by 3 more ratings), so " +
          "one 5-star review does not outrank several good ones",
      ),
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
