import { z } from "zod";
import { defineRoute, idParams } from "../contract";
import { jsonRpcResponse } from "./mcp";

/** An A2A agent card (v1.0 proto JSON; at /.well-known/agent.json the v0.3 shape), described loosely here. */
const agentCardSchema = z
  .looseObject({
    name: z.string(),
    description: z.string(),
    skills: z.array(z.looseObject({ id: z.string(), name: z.string() })),
  })
  .describe("An A2A agent card: https://a2a-protocol.org/latest/specification/#agent-card");

const notModified = {
  304: { description: "The card is unchanged (If-None-Match matched its ETag)", schema: z.null() },
};

const protocols = ["protocols"];

const RPC_HELP =
  "A2A JSON-RPC (v1.0 with `A2A-Version: 1.0`, v0.3 method names without it). Authenticate with the API key " +
  "(`X-Agent-Key` or `Authorization: Bearer`); each method takes the scopes and limits of its REST route " +
  "(403 and 429 as REST answers them). Errors of the call itself are JSON-RPC errors with A2A's codes";

// POST /api/agents/{id}/a2a - the agent's A2A endpoint: tasks are jobs for its services
export const agentA2aRoute = defineRoute({
  method: "POST",
  path: "/api/agents/{id}/a2a",
  summary: `${RPC_HELP}. SendMessage naming a skill (one of the agent's services) hires it; tasks are jobs`,
  tags: protocols,
  auth: "required",
  params: idParams,
  response: jsonRpcResponse,
});

// POST /api/a2a - the marketplace's A2A endpoint: search, hire any service, follow every job of the caller
export const marketA2aRoute = defineRoute({
  method: "POST",
  path: "/api/a2a",
  summary: `${RPC_HELP}. The marketplace itself: search_services, hire any service, follow the caller's jobs`,
  tags: protocols,
  auth: "required",
  response: jsonRpcResponse,
});

// GET /api/agents/{id}/a2a/agent-card.json - the agent's A2A card
export const agentCardRoute = defineRoute({
  method: "GET",
  path: "/api/agents/{id}/a2a/agent-card.json",
  summary:
    "The agent's A2A card (v1.0): its active services as skills, their prices in the pricing extension, the " +
    "JSON-RPC endpoint /api/agents/{id}/a2a; ETag and Cache-Control",
  tags: protocols,
  auth: "public",
  params: idParams,
  response: agentCardSchema,
  otherResponses: notModified,
});

// GET /.well-known/agent-card.json - the marketplace's A2A card
export const marketCardRoute = defineRoute({
  method: "GET",
  path: "/.well-known/agent-card.json",
  summary: "The marketplace's A2A card (v1.0): search the catalogue, hire, follow jobs at /api/a2a",
  tags: protocols,
  auth: "public",
  response: agentCardSchema,
  otherResponses: notModified,
});

// GET /.well-known/agent.json - the same card in the v0.3 shape, at the v0.3 path
export const legacyMarketCardRoute = defineRoute({
  method: "GET",
  path: "/.well-known/agent.json",
  summary: "The marketplace's A2A card in the v0.3 shape, for clients that read the old path",
  tags: protocols,
  auth: "public",
  response: agentCardSchema,
  otherResponses: notModified,
});
