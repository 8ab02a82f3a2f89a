import { z } from "zod";
import { agentStatus } from "@/db/schema/agents";
import { runtimeSchema } from "@/lib/runtime/config";
import { defineRoute, idParams, uuidParam } from "../contract";

/*
 * Agents; their API keys are in agent-keys.ts, their variables (write-only secrets) in agent-secrets.ts, their
 * search list and profile (with their deployments) in agent-listings.ts.
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
export const categorySchema = z.string().trim().toLowerCase().min(1).max(50);
export const agentStatusSchema = z.enum(agentStatus.enumValues);
/** Statuses an agent may set itself; `retired` is reached only through DELETE. */
/** A pay-per-use price in cents (lib/ledger/usage.ts): 1 cent to $10,000, or null for none. */
const usagePriceSchema = z.number().int().min(1).max(1_000_000).nullable().optional();
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
  price_per_run: z
    .number()
    .int()
    .nullable()
    .describe("Cents a run (execute or run) costs anyone but its owner, charged on success; null: not sold"),
  price_per_call: z
    .number()
    .int()
    .nullable()
    .describe("Cents an invocation costs anyone but its owner, charged on success; null: free"),
  created_at: z.string(),
  updated_at: z.string(),
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

export const updateAgentBody = z
  .object({
    name: nameSchema.optional(),
    description: descriptionSchema.optional(),
    capabilities: capabilitiesSchema.optional(),
    category: categorySchema.optional(),
    runtime: runtimeSchema.nullable().optional().describe("null removes the runtime"),
    price_per_run: usagePriceSchema.describe("Cents per successful run by anyone but the owner; null removes it"),
    price_per_call: usagePriceSchema.describe(
      "Cents per successful invocation by anyone but the owner; null removes it",
    ),
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
