import "server-only";
import { and, eq, sql } from "drizzle-orm";
import type { Queryable, Tx } from "@/db/client";
import { agentRoutes, deployments } from "@/db/schema";
import type { TrafficWeight } from "@/db/schema/deployments";
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

/** The environment's rollout in progress, if any (there is at most one: deployments_one_active_key). */
export async function rolloutInProgress(
  q: Queryable,
  agentId: string,
  environment: Environment,
): Promise<string | null> {
  const [row] = await q
    .select({ id: deployments.id })
    .from(deployments)
    .where(
      and(
        eq(deployments.agentId, agentId),
        eq(deployments.environment, environment),
        eq(deployments.status, "deploying"),
      ),
    )
    .limit(1);
  return row?.id ?? null;
}

/** Points a route's traffic at `weights` (and, when given, its live version); routers everywhere reload it. */
export async function setRouteWeights(
  tx: Tx,
  agentId: string,
  environment: Environment,
  weights: TrafficWeight[],
  set: { liveVersionId?: string | null; activeDeploymentId?: string | null } = {},
): Promise<void> {
  await tx
    .update(agentRoutes)
    .set({ weights, ...set, generation: sql`${agentRoutes.generation} + 1`, updatedAt: new Date() })
    .where(and(eq(agentRoutes.agentId, agentId), eq(agentRoutes.environment, environment)));
  await notifyRouteChanged(tx, agentId, environment);
}
