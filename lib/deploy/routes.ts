import "server-only";
import { and, eq, sql } from "drizzle-orm";
import type { Queryable } from "@/db/client";
import { agentRoutes } from "@/db/schema";
import type { Environment } from "./types";

/**
 * Routers cache a route and its instances; whoever changes either (weights, an instance's status) notifies this
 * channel in the same transaction with `<agent id>:<environment>`, and the routers of every process drop that entry.
 */
export const ROUTES_CHANNEL = "agent_routes";

export type RouteRow = typeof agentRoutes.$inferSelect;

export async function notifyRouteChanged(q: Queryable, agentId: string, environment: Environment): Promise<void> {
  await q.execute(sql`SELECT pg_notify(${ROUTES_CHANNEL}, ${`${agentId}:${environment}`})`);
}

export async function loadRoute(q: Queryable, agentId: string, environment: Environment): Promise<RouteRow | null> {
  const [row] = await q
    .select()
    .from(agentRoutes)
    .where(and(eq(agentRoutes.agentId, agentId), eq(agentRoutes.environment, environment)))
    .limit(1);
  return row ?? null;
}
