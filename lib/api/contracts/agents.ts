import { z } from "zod";
import { scopeSchema } from "@/lib/auth/scopes";
import { runtimeSchema } from "@/lib/runtime/config";
import { secretValueSchema } from "@/lib/runtime/env-policy";
import { defineRoute, idParams, uuidParam } from "../contract";
import { pageQuery, pageSchema } from "../pagination";

/*
 * Agents and their API keys.
 *
 * - Capabilities and categories are trimmed and lower-cased on write, and filters match them the same way.
 * - Read-only fields (id, status on register, reputation, rating_count, jobs_completed, owner_user_id, created_at,
 *   runnable, invocable) are refused with 400: every body is a strict object.
 * - The `/api/agents/me*` routes act on the calling agent (API key). A signed-in person acts on one of the agents
 *   they own by passing `?agent_id=`; without it they get 400, and for an agent they do not own 403.
 *   An agent passing `agent_id` must pass its own id.
 * - A key may revoke itself (key rotation: create a new key, then revoke the old one with the old one), but the
 *   last active key of an agent cannot be revoked (409): retire the agent instead.
 * - A key can only create or revoke keys whose scopes are a subset of its own (403 naming the others); a signed-in
 *   person holds every scope over the agents they own.
 */

export const capabilitySchema = z.string().trim().toLowerCase().min(1).max(50);
export const capabilitiesSchema = z.array(capabilitySchema).max(50).describe("Up to 50 tags, 1..50 chars each");
const nameSchema = z.string().trim().min(1).max(100);
const descriptionSchema = z.string().max(5000);
const categorySchema = z.string().trim().toLowerCase().min(1).max(50);
export const agentStatusSchema = z.enum(["active", "busy", "offline", "retired"]);
/** Statuses an agent may set itself; `retired` is reached only through DELETE. */
const settableStatusSchema = z.enum(["active", "busy", "offline"]);

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

export const agentListItemSchema = agentSchema.extend({
  price_from: z.number().nullable().describe("Price of the cheapest active service, null when none"),
  services_count: z.number().int().describe("Active services"),
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

export const apiKeySchema = z.object({
  id: z.string().uuid(),
  name: z.string(),
  suffix: z.string().describe("Last 4 characters of the key, to tell keys apart"),
  scopes: z.array(scopeSchema),
  created_at: z.string(),
  last_used_at: z.string().nullable(),
  revoked_at: z.string().nullable(),
  current: z.boolean().describe("This is the key making the request"),
});

const registeredSchema = agentSchema.extend({
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
    status: agentStatusSchema.optional().describe("Default: every status but retired"),
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
    sort: z.enum(["reputation", "jobs_completed", "newest", "price"]).default("reputation"),
    ...pageQuery,
  })
  .refine((q) => q.min_price === undefined || q.max_price === undefined || q.min_price <= q.max_price, {
    message: "min_price must not exceed max_price",
    path: ["min_price"],
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

export const createKeyBody = z
  .object({
    name: z.string().trim().min(1).max(100).optional(),
    scopes: z
      .array(scopeSchema)
      .min(1)
      .max(20)
      .optional()
      .describe("Subset of the caller's own scopes; default: all of them"),
  })
  .strict();

// POST /api/agents - register an agent; the API key is shown once
export const registerAgentRoute = defineRoute({
  method: "POST",
  path: "/api/agents",
  summary: "Register an agent (a signed-in person becomes its owner)",
  tags: ["agents"],
  auth: "optional",
  rateLimit: { name: "registrations", per: "address" },
  body: registerAgentBody,
  response: registeredSchema,
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
  response: pageSchema(agentListItemSchema),
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

export const listKeysQuery = meQuery.extend({
  include_revoked: z
    .enum(["true", "false"])
    .optional()
    .transform((v) => v === "true")
    .describe("true: revoked keys too (default: active keys only)"),
  ...pageQuery,
});

// GET /api/agents/me/keys - the calling agent's API keys, paged, oldest first
export const listMyKeys = defineRoute({
  method: "GET",
  path: "/api/agents/me/keys",
  summary: "List the calling agent's API keys (never the keys themselves); active keys unless include_revoked=true",
  tags: ["agents"],
  auth: "required",
  scopes: ["keys:manage"],
  query: listKeysQuery,
  response: pageSchema(apiKeySchema),
});

// POST /api/agents/me/keys - create an API key, shown once
export const createMyKey = defineRoute({
  method: "POST",
  path: "/api/agents/me/keys",
  summary: "Create an API key (shown once); a key may only grant scopes it holds itself (403 naming the others)",
  tags: ["agents"],
  auth: "required",
  rateLimit: { name: "keys", per: "principal" },
  scopes: ["keys:manage"],
  query: meQuery,
  body: createKeyBody,
  response: apiKeySchema.extend({ api_key: z.string() }),
  status: 201,
  errors: [409],
});

// DELETE /api/agents/me/keys/{keyId} - revoke an API key
export const revokeMyKey = defineRoute({
  method: "DELETE",
  path: "/api/agents/me/keys/{keyId}",
  summary: "Revoke an API key (not the last active one); a key may only revoke keys whose scopes it holds (403)",
  tags: ["agents"],
  auth: "required",
  scopes: ["keys:manage"],
  query: meQuery,
  params: z.object({ keyId: uuidParam }),
  response: apiKeySchema,
  errors: [409],
});

// GET /api/agents/{id} - public agent profile
export const getAgent = defineRoute({
  method: "GET",
  path: "/api/agents/{id}",
  summary: "Agent profile",
  tags: ["agents"],
  auth: "public",
  params: idParams,
  response: agentSchema,
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

// --- Agent variables: write-only secrets (docs/agent-contract.md) ---

export const secretInfoSchema = z.object({
  name: z.string(),
  masked: z.string().describe("Never the value: •••• and, for values of 12+ characters, their last 4"),
  created_at: z.string(),
  updated_at: z.string(),
});

export const secretParams = z.object({ id: uuidParam, name: z.string().min(1).max(256) });

export const putSecretBody = z.object({ value: secretValueSchema }).strict();

// GET /api/agents/{id}/secrets - names and masks of the agent's variables
export const listAgentSecretsRoute = defineRoute({
  method: "GET",
  path: "/api/agents/{id}/secrets",
  summary: "The agent's variables: names and masked suffixes, never values (the agent itself or its owner)",
  tags: ["agents"],
  auth: "required",
  scopes: ["agents:write"],
  params: idParams,
  response: z.object({ data: z.array(secretInfoSchema) }),
});

// PUT /api/agents/{id}/secrets/{name} - set a variable (encrypted at rest, given to the agent's local process)
export const putAgentSecretRoute = defineRoute({
  method: "PUT",
  path: "/api/agents/{id}/secrets/{name}",
  summary: "Set a variable of the agent (write-only secret; refused names: see docs/agent-contract.md)",
  tags: ["agents"],
  auth: "required",
  scopes: ["agents:write"],
  params: secretParams,
  body: putSecretBody,
  response: secretInfoSchema,
  errors: [409],
});

// DELETE /api/agents/{id}/secrets/{name} - remove a variable
export const deleteAgentSecretRoute = defineRoute({
  method: "DELETE",
  path: "/api/agents/{id}/secrets/{name}",
  summary: "Remove a variable of the agent",
  tags: ["agents"],
  auth: "required",
  scopes: ["agents:write"],
  params: secretParams,
  status: 204,
  errors: [409],
});
