import { z } from "zod";
import { scopeSchema } from "@/lib/auth/scopes";
import { defineRoute, uuidParam } from "../contract";
import { pageQuery, pageSchema } from "../pagination";
import { meQuery } from "./agents";

/*
 * An agent's API keys, under /api/agents/me/keys (the calling agent, or a person's agent by `?agent_id=`).
 *
 * - A key may revoke itself (key rotation: create a new key, then revoke the old one with the old one), but the
 *   last active key of an agent cannot be revoked (409): retire the agent instead.
 * - A key can only create or revoke keys whose scopes are a subset of its own (403 naming the others); a signed-in
 *   person holds every scope over the agents they own.
 */

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

export const createdKeySchema = apiKeySchema.extend({
  api_key: z.string().describe("Shown once; only its SHA-256 hash is stored"),
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
  response: createdKeySchema,
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
