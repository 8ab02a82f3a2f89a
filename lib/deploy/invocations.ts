import "server-only";
import { and, eq, sql } from "drizzle-orm";
import { getDb } from "@/db/client";
import { agentRoutes } from "@/db/schema";
import { ApiError, badRequest, forbidden, notFound } from "@/lib/api/errors";
import type { Principal } from "@/lib/auth/principal";
import { findAgentCached } from "@/lib/market/agents";
import { hasRoute, routeCall } from "./router";
import type { Environment } from "./types";

/** Either scope lets a caller call deployed agents: the deployments API's `agent:execute` (README.md, Deployments), or the invoke API's `invoke`. */
export function mayInvoke(principal: Principal): boolean {
  return principal.scopes.includes("agent:execute") || principal.scopes.includes("invoke");
}

/** The environment a call goes to: the one named, else prod, else the agent's only one. */
export async function environmentOf(agentId: string, named?: Environment): Promise<Environment> {
  // The router answers 404 for a named environment without a deployment; prod is the cached common case.
  if (named) return named;
  if (await hasRoute(agentId, "prod")) return "prod";
  const db = await getDb();
  const live = await db
    .select({ environment: agentRoutes.environment })
    .from(agentRoutes)
    .where(and(eq(agentRoutes.agentId, agentId), sql`${agentRoutes.weights} <> '[]'::jsonb`));
  const envs = live.map((r) => r.environment).sort();
  if (envs.length === 1) return envs[0]!;
  if (envs.length === 0) throw new ApiError(404, "NotFoundError", "The agent has no deployment");
  throw badRequest(`The agent is deployed in ${envs.join(", ")}: name one with ?environment=`, {
    environments: envs,
  });
}

/**
 * POST /api/agents/{id}/invocations: the agent contract's call to a deployed agent, through the router. Any caller
 * allowed to invoke (an agent key with `agent:execute` or `invoke`, or a person) may call an agent that is not
 * retired; the answer is the agent's own JSON (or its SSE stream), with the version that answered in a header.
 */
export async function invokeDeployed(
  principal: Principal,
  agentId: string,
  input: { environment?: Environment; body: Record<string, unknown>; stream: boolean; signal?: AbortSignal },
): Promise<Response> {
  if (!mayInvoke(principal)) {
    throw forbidden("This API key lacks the scope agent:execute (or invoke)", { missing_scopes: ["agent:execute"] });
  }
  const agent = await findAgentCached(agentId);
  if (!agent || agent.status === "retired") throw notFound("Agent");
  const environment = await environmentOf(agentId, input.environment);
  const answer = await routeCall({
    agentId,
    environment,
    body: JSON.stringify(input.body),
    stream: input.stream,
    signal: input.signal,
  });
  return new Response(answer.body, {
    status: answer.status,
    headers: {
      "content-type": answer.contentType,
      "x-agent-version": answer.version,
      "x-agent-environment": environment,
      ...(typeof answer.body === "string" ? {} : { "cache-control": "no-cache" }),
    },
  });
}
