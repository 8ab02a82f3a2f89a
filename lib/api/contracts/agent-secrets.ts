import { z } from "zod";
import { secretValueSchema } from "@/lib/runtime/env-policy";
import { defineRoute, idParams, uuidParam } from "../contract";

// An agent's variables: write-only secrets, encrypted at rest and given to the agent's local process.

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
