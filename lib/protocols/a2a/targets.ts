import "server-only";
import { createHash } from "node:crypto";
import { notFound } from "@/lib/api/errors";
import { findAgentCached } from "@/lib/market/agents";
import { isInvocable } from "./invoke";
import { activeServices, agentCard, marketplaceCard } from "./card";
import type { A2ATarget } from "./handler";

/** One agent's endpoint; 404 for an unknown or retired agent (a retired agent takes no hires). */
export async function agentTarget(agentId: string, origin: string): Promise<A2ATarget> {
  const agent = await findAgentCached(agentId);
  if (!agent || agent.status === "retired") throw notFound("Agent");
  const services = activeServices(agentId);
  let invocable: Promise<boolean> | undefined;
  return {
    agentId,
    card: async () => agentCard(agent, await services, origin),
    soleSkillId: async () => {
      const all = await services;
      return all.length === 1 ? all[0]!.id : undefined;
    },
    // Asked by the route (for the call's scopes) and by the handler: one answer per request.
    invocable: (principal) => (invocable ??= isInvocable(principal, agentId)),
  };
}

/** The marketplace's own endpoint, over every agent. */
export function marketTarget(origin: string): A2ATarget {
  return { agentId: null, card: async () => marketplaceCard(origin) };
}

/** Whether If-None-Match names this ETag (a list, weak or strong, or `*`). */
function matches(ifNoneMatch: string | null, etag: string): boolean {
  if (!ifNoneMatch) return false;
  const bare = (t: string) => t.trim().replace(/^W\//, "");
  return ifNoneMatch.split(",").some((t) => t.trim() === "*" || bare(t) === bare(etag));
}

/**
 * A card as the SDK's express agentCardHandler serves it: a weak ETag of the body, Cache-Control, and 304 when
 * the client already has it.
 */
export function cardResponse(req: Request, card: unknown): Response {
  const body = JSON.stringify(card);
  const etag = `W/"${createHash("sha256").update(body).digest("hex").slice(0, 16)}"`;
  const headers = { ETag: etag, "Cache-Control": "public, max-age=300" };
  if (matches(req.headers.get("if-none-match"), etag)) return new Response(null, { status: 304, headers });
  return new Response(body, { headers: { ...headers, "Content-Type": "application/json" } });
}
