import { mcpRoute } from "@/lib/api/contracts/mcp";
import { withApi } from "@/lib/api/handler";
import { handleMcpRequest } from "@/lib/protocols/mcp/server";

export const dynamic = "force-dynamic";

// POST /api/mcp - the MCP server (stateless Streamable HTTP); GET and DELETE are 405: no sessions, no SSE stream
export const POST = withApi(mcpRoute, async ({ req, principal }) => handleMcpRequest(req, principal));
