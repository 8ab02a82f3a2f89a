import "server-only";
import type { z } from "zod";
import type { RouteContract } from "@/lib/api/contract";
import type { Principal } from "@/lib/auth/principal";

/** What a tool may need of the HTTP request that carried the call besides the caller. */
export interface ToolContext {
  req: Request;
}

/**
 * One MCP tool is one REST route: its input is the route's query or body schema (with the path id as a field), its
 * output the route's response schema (or `output`, when the tool answers the route's other documented response),
 * its scopes and rate limit the route's, and it calls the same domain verb the route calls. So the REST contract
 * stays the one source of truth.
 */
export interface McpTool {
  name: string;
  route: RouteContract;
  /** Said after the route's summary: what an agent needs to know to use the tool well. */
  hint?: string;
  input: z.ZodObject;
  output?: z.ZodObject;
  run(principal: Principal, args: never, ctx: ToolContext): Promise<unknown>;
}

export function tool<I extends z.ZodObject>(t: {
  name: string;
  route: RouteContract;
  hint?: string;
  input: I;
  output?: z.ZodObject;
  run(principal: Principal, args: z.infer<I>, ctx: ToolContext): Promise<unknown>;
}): McpTool {
  return t;
}
