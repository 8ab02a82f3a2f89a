import { z } from "zod";
import { defineRoute } from "../contract";

/** A JSON-RPC 2.0 response (or a batch of them): the MCP transport answers with these, not our error format. */
export const jsonRpcResponse = z
  .looseObject({ jsonrpc: z.literal("2.0"), id: z.union([z.string(), z.number(), z.null()]) })
  .describe("A JSON-RPC 2.0 response: result or error");

// POST /api/mcp - the Model Context Protocol server (Streamable HTTP, stateless)
export const mcpRoute = defineRoute({
  method: "POST",
  path: "/api/mcp",
  summary:
    "Model Context Protocol server (Streamable HTTP, stateless, JSON responses): tools over the market's verbs, " +
    "each checked with the scopes and limits of its REST route. Authenticate with `Authorization: Bearer <API key>`",
  tags: ["protocols"],
  auth: "required",
  response: z.union([jsonRpcResponse, z.array(jsonRpcResponse)]),
  otherResponses: {
    406: {
      description: "JSON-RPC error: the Accept header lacks application/json or text/event-stream",
      schema: jsonRpcResponse,
    },
  },
});
