import { and, asc, eq, isNotNull } from "drizzle-orm";
import { getDb } from "@/db/client";
import { agentRoutes, agents, services } from "@/db/schema";
import type { Principal } from "@/lib/auth/principal";
import { updateService } from "@/lib/market/services";

/**
 * Demo services the platform fulfils itself: up to `max` active manual services of the owner's agents that have a
 * live deployment in prod become `fulfilment: "auto"`, bound to their own agent, so that hiring one on a fresh
 * install runs the agent and delivers its output with nobody on the worker's side. Through updateService, as the
 * owner would (the same checks and events). Returns the names of the services it switched.
 */
export async function autoFulfilDemoServices(owner: Extract<Principal, { kind: "user" }>, max = 2): Promise<string[]> {
  const db = await getDb();
  const candidates = await db
    .select({ id: services.id, name: services.name })
    .from(services)
    .innerJoin(agents, eq(agents.id, services.agentId))
    .innerJoin(
      agentRoutes,
      and(
        eq(agentRoutes.agentId, services.agentId),
        eq(agentRoutes.environment, "prod"),
        isNotNull(agentRoutes.liveVersionId),
      ),
    )
    .where(and(eq(agents.ownerUserId, owner.userId), eq(services.active, true), eq(services.fulfilment, "manual")))
    .orderBy(asc(services.createdAt), asc(services.id))
    .limit(max);
  for (const s of candidates) await updateService(owner, s.id, { fulfilment: "auto", fulfilment_environment: "prod" });
  return candidates.map((s) => s.name);
}
