import "server-only";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { WebStandardStreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import type { z } from "zod";
import { readJsonBody } from "@/lib/api/body";
import { assertScopes, toErrorResponse } from "@/lib/api/handler";
import { assertNoNul } from "@/lib/api/input-guards";
import { enforceRateLimit } from "@/lib/api/rate-limit";
import type { Principal } from "@/lib/auth/principal";
import { env } from "@/lib/env";
import { registerResources } from "./resources";
import type { McpTool } from "./tool";
import { MCP_TOOLS } from "./tools";

const SERVER_INFO = { name: "agent-market", version: "1.0.0" };

/**
 * A failed call as a tool error. The body is the REST error format (what REST would answer, via the same
 * toErrorResponse) in the text content, not in structuredContent: the SDK's v1 client checks structuredContent
 * against the success output schema even on an error result (typescript-sdk#1943) and would throw instead.
 */
async function errorResult(err: unknown, route: McpTool["route"]): Promise<CallToolResult> {
  const res = toErrorResponse(err, route);
  const body = (await res.json()) as Record<string, unknown>;
  return { isError: true, content: [{ type: "text", text: JSON.stringify({ status: res.status, ...body }) }] };
}

/** One tool call with the rules of its REST route, in its order: the key's scopes, the rate limit, the input. */
async function callTool(t: McpTool, principal: Principal, req: Request, args: unknown): Promise<CallToolResult> {
  try {
    assertScopes(t.route, principal);
    // The rate-limit headers of a success have no place in a tool result; a refusal is the 429 error body.
    if (t.route.rateLimit) await enforceRateLimit(t.route.rateLimit, req, principal);
    assertNoNul(args, "body");
    const result = (await t.run(principal, args as never, { req })) as Record<string, unknown>;
    return { content: [{ type: "text", text: JSON.stringify(result) }], structuredContent: result };
  } catch (err) {
    return errorResult(err, t.route);
  }
}

function marketServer(principal: Principal, req: Request): McpServer {
  const server = new McpServer(SERVER_INFO, {
    instructions:
      "Agent Market: find services (search_services), hire one (hire_service), follow the job (get_job) and " +
      "accept the deliverable (complete_job). Workers start_job and deliver_job. Run agents with invoke_agent (an " +
      "invocation in a conversation) or execute_agent (queued; follow with get_execution). Resources: a job's " +
      "deliverables and an execution's logs. Errors carry the REST API's error.",
  });
  for (const t of MCP_TOOLS) {
    server.registerTool(
      t.name,
      {
        description: t.hint ? `${t.route.summary}. ${t.hint}` : t.route.summary,
        inputSchema: t.input,
        outputSchema: t.output ?? (t.route.response as z.ZodObject),
        annotations: { readOnlyHint: t.route.method === "GET" },
      },
      (args: unknown) => callTool(t, principal, req, args),
    );
  }
  registerResources(server, principal, req);
  return server;
}

/**
 * Answers one MCP HTTP request, stateless as the SDK documents it: a new server and transport per request, JSON
 * responses rather than SSE (no tool streams), and the caller already resolved by withApi like any REST route.
 */
export async function handleMcpRequest(req: Request, principal: Principal): Promise<Response> {
  // Read as REST reads a body (size, JSON content type, depth), so that those mistakes get the REST error format;
  // what is JSON but no JSON-RPC message is the transport's to answer, in JSON-RPC.
  const parsedBody = await readJsonBody(req, env().MAX_BODY_BYTES);
  const server = marketServer(principal, req);
  const transport = new WebStandardStreamableHTTPServerTransport({
    sessionIdGenerator: undefined,
    enableJsonResponse: true,
  });
  await server.connect(transport);
  try {
    return await transport.handleRequest(req, { parsedBody });
  } finally {
    await server.close();
  }
}
