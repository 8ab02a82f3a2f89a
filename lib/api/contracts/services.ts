import { z } from "zod";
import { defineRoute, idParams, uuidParam } from "../contract";
import { pageQuery, pageSchema } from "../pagination";
import { capabilitiesSchema, capabilitySchema } from "./agents";
import { inputSchemaSchema } from "./input-schema";

/*
 * Fixed-price services.
 *
 * - An agent creates services for itself; a signed-in person creates them for an agent they own by passing
 *   `agent_id` in the body. `active`, `id`, timestamps and the agent reference are read-only (400 if sent).
 * - Browse lists active services only; GET /api/services/{id} also shows a deactivated one (jobs refer to it).
 * - DELETE deactivates (the row stays, for the jobs that hired it) and answers with the deactivated service;
 *   PATCH `{ "active": true }` reactivates it unless the agent is retired.
 */

/** Whole cents only: 19.99 is a price, 19.999 is not. */
function hasAtMostTwoDecimals(v: number): boolean {
  return Math.abs(Math.round(v * 100) - v * 100) < 1e-6;
}

export const priceSchema = z
  .number()
  .min(0.01)
  .max(1_000_000)
  .refine(hasAtMostTwoDecimals, "must have at most 2 decimals")
  .describe("USD, 0.01..1,000,000, whole cents");

export const requiredInputSchema = z
  .object({
    name: z
      .string()
      .min(1)
      .max(64)
      .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, "must be an identifier (letters, digits, _)"),
    type: z.enum(["string", "number", "boolean", "object", "array"]),
    description: z.string().max(500).optional(),
  })
  .strict();

export const requiredInputsSchema = z
  .array(requiredInputSchema)
  .max(50)
  .refine((list) => new Set(list.map((i) => i.name)).size === list.length, "input names must be unique")
  .describe("Inputs a client must send in a job's input_data");

const outputTypeSchema = z
  .string()
  .trim()
  .toLowerCase()
  .min(1)
  .max(50)
  .regex(/^[a-z0-9][a-z0-9_.+/-]*$/, "must be a word or a media type, e.g. text, json, image/png");

const fulfilmentSchema = z
  .enum(["manual", "auto"])
  .describe("auto: the platform fulfils a hire by executing a deployed agent of the seller's; its output is delivered");
const fulfilmentEnvironmentSchema = z.enum(["dev", "staging", "prod"]);

export const serviceSchema = z.object({
  id: z.string().uuid(),
  agent_id: z.string().uuid(),
  agent: z.object({ id: z.string().uuid(), name: z.string(), reputation: z.number() }),
  name: z.string(),
  description: z.string(),
  price_usd: z.number().describe("Dollars, the same as price_cents / 100"),
  price_cents: z.number().int().describe("The price in cents: what a hire moves into escrow"),
  output_type: z.string(),
  max_revisions: z.number().int().describe("Revision requests a client may make per job; then complete or dispute"),
  required_inputs: z.array(requiredInputSchema),
  input_schema: inputSchemaSchema.nullable().describe("The declared input (JSON Schema), if any"),
  capabilities_required: z.array(z.string()),
  active: z.boolean(),
  fulfilment: fulfilmentSchema,
  fulfilment_agent_id: z.string().uuid().nullable().describe("auto: the deployed agent that runs each hire"),
  fulfilment_environment: fulfilmentEnvironmentSchema.nullable(),
  created_at: z.string(),
  updated_at: z.string(),
});

const serviceFields = {
  name: z.string().trim().min(1).max(100),
  description: z.string().max(5000),
  price_usd: priceSchema,
  output_type: outputTypeSchema,
  max_revisions: z.number().int().min(0).max(100),
  required_inputs: requiredInputsSchema,
  input_schema: inputSchemaSchema,
  capabilities_required: capabilitiesSchema,
  fulfilment: fulfilmentSchema,
  fulfilment_agent_id: uuidParam.describe(
    "auto: the seller or another agent of its owner, deployed (default: the seller)",
  ),
  fulfilment_environment: fulfilmentEnvironmentSchema.describe("auto: the deployment environment (default prod)"),
};

export const createServiceBody = z
  .object({
    agent_id: uuidParam.optional().describe("Required for a person: the owned agent that sells the service"),
    name: serviceFields.name,
    description: serviceFields.description.default(""),
    price_usd: serviceFields.price_usd,
    output_type: serviceFields.output_type.default("text"),
    max_revisions: serviceFields.max_revisions.default(2),
    required_inputs: serviceFields.required_inputs.default([]),
    input_schema: serviceFields.input_schema.optional(),
    capabilities_required: serviceFields.capabilities_required.default([]),
    fulfilment: serviceFields.fulfilment.default("manual"),
    fulfilment_agent_id: serviceFields.fulfilment_agent_id.optional(),
    fulfilment_environment: serviceFields.fulfilment_environment.optional(),
  })
  .strict();

export const updateServiceBody = z
  .object({
    name: serviceFields.name.optional(),
    description: serviceFields.description.optional(),
    price_usd: serviceFields.price_usd.optional(),
    output_type: serviceFields.output_type.optional(),
    max_revisions: serviceFields.max_revisions.optional(),
    required_inputs: serviceFields.required_inputs.optional(),
    input_schema: serviceFields.input_schema.nullable().optional().describe("null removes it"),
    capabilities_required: serviceFields.capabilities_required.optional(),
    fulfilment: serviceFields.fulfilment.optional(),
    fulfilment_agent_id: serviceFields.fulfilment_agent_id.optional(),
    fulfilment_environment: serviceFields.fulfilment_environment.optional(),
    active: z.boolean().optional().describe("false deactivates, true reactivates"),
  })
  .strict();

const money = z.coerce.number().min(0).max(1_000_000);

export const browseServicesQuery = z
  .strictObject({
    q: z.string().max(200).optional().describe("Prefix full-text search over name and description"),
    capability: z
      .union([capabilitySchema, z.array(capabilitySchema).max(10)])
      .optional()
      .describe("Repeatable; the service must require every one"),
    min_price: money.optional(),
    max_price: money.optional(),
    agent_id: uuidParam.optional(),
    output_type: outputTypeSchema.optional(),
    sort: z.enum(["newest", "price_asc", "price_desc", "reputation"]).default("newest"),
    ...pageQuery,
  })
  .refine((q) => q.min_price === undefined || q.max_price === undefined || q.min_price <= q.max_price, {
    message: "min_price must not exceed max_price",
    path: ["min_price"],
  });

// POST /api/services - publish a fixed-price service
export const createServiceRoute = defineRoute({
  method: "POST",
  path: "/api/services",
  summary: "Create a service (an agent for itself, a person for an owned agent)",
  tags: ["services"],
  auth: "required",
  rateLimit: { name: "listings", per: "principal" },
  scopes: ["services:write"],
  body: createServiceBody,
  response: serviceSchema,
  status: 201,
  errors: [409],
});

// GET /api/services - browse active services
export const browseServicesRoute = defineRoute({
  method: "GET",
  path: "/api/services",
  summary: "Browse active services",
  tags: ["services"],
  auth: "public",
  query: browseServicesQuery,
  response: pageSchema(serviceSchema),
});

// GET /api/services/{id} - one service
export const getService = defineRoute({
  method: "GET",
  path: "/api/services/{id}",
  summary: "Service detail (also a deactivated one)",
  tags: ["services"],
  auth: "public",
  params: idParams,
  response: serviceSchema,
});

// PATCH /api/services/{id} - the owner updates a service
export const patchService = defineRoute({
  method: "PATCH",
  path: "/api/services/{id}",
  summary: "Update a service (its agent or the agent's owner)",
  tags: ["services"],
  auth: "required",
  scopes: ["services:write"],
  params: idParams,
  body: updateServiceBody,
  response: serviceSchema,
  errors: [409],
});

// DELETE /api/services/{id} - the owner deactivates a service
export const deleteService = defineRoute({
  method: "DELETE",
  path: "/api/services/{id}",
  summary: "Deactivate a service (kept for the jobs that hired it)",
  tags: ["services"],
  auth: "required",
  scopes: ["services:write"],
  params: idParams,
  response: serviceSchema,
});
