import "server-only";
import { and, eq, inArray } from "drizzle-orm";
import { getDatabase, type Database } from "@/db/client";
import { agentVersions, deploymentInstances } from "@/db/schema";
import type { TrafficWeight } from "@/db/schema/deployments";
import { listen } from "@/lib/events/listen";
import { log } from "@/lib/log";
import { loadRoute, ROUTES_CHANNEL } from "./routes";
import type { Environment } from "./types";

/**
 * What the router knows of a route: its weights, its versions' timeouts and the healthy instances of each. Cached
 * per process and dropped when a change is notified (ROUTES_CHANNEL: weights, an instance's status), so a call costs
 * no query while nothing changes. A lost LISTEN connection drops the whole cache, and entries older than
 * CACHE_MAX_AGE_MS are read again in any case.
 */

export interface RouteView {
  generation: number;
  weights: TrafficWeight[];
  versions: Map<string, { version: string; timeoutMs: number }>;
  /** Healthy instances per version. */
  instances: Map<string, { id: string; address: string }[]>;
  loadedAt: number;
}

const CACHE_MAX_AGE_MS = 5_000;

const caches = new WeakMap<Database, { routes: Map<string, Promise<RouteView | null>>; ready: Promise<void> }>();

async function cacheFor(database: Database) {
  let c = caches.get(database);
  if (!c) {
    const routes = new Map<string, Promise<RouteView | null>>();
    const ready = listen(database, ROUTES_CHANNEL, {
      onNotify: (key) => (key ? routes.delete(key) : routes.clear()),
      onLost: () => routes.clear(),
    }).then(
      () => undefined,
      (err: unknown) => log().warn({ err }, "router: no route notifications; reading routes every time"),
    );
    c = { routes, ready };
    caches.set(database, c);
  }
  await c.ready;
  return c;
}

async function readRoute(database: Database, agentId: string, environment: Environment): Promise<RouteView | null> {
  const route = await loadRoute(database.db, agentId, environment);
  const serving = route?.weights.filter((w) => w.weight > 0) ?? [];
  if (!route || serving.length === 0) return null;
  const ids = serving.map((w) => w.version_id);
  const [versions, rows] = await Promise.all([
    database.db
      .select({ id: agentVersions.id, version: agentVersions.version, configuration: agentVersions.configuration })
      .from(agentVersions)
      .where(inArray(agentVersions.id, ids)),
    database.db
      .select({
        id: deploymentInstances.id,
        versionId: deploymentInstances.versionId,
        address: deploymentInstances.address,
      })
      .from(deploymentInstances)
      .where(
        and(
          eq(deploymentInstances.agentId, agentId),
          eq(deploymentInstances.environment, environment),
          eq(deploymentInstances.status, "healthy"),
          inArray(deploymentInstances.versionId, ids),
        ),
      ),
  ]);
  const instances = new Map<string, { id: string; address: string }[]>();
  for (const r of rows) {
    if (!r.address) continue;
    instances.set(r.versionId, [...(instances.get(r.versionId) ?? []), { id: r.id, address: r.address }]);
  }
  return {
    generation: route.generation,
    weights: serving,
    versions: new Map(versions.map((v) => [v.id, { version: v.version, timeoutMs: v.configuration.timeout * 1000 }])),
    instances,
    loadedAt: Date.now(),
  };
}

export async function routeView(agentId: string, environment: Environment): Promise<RouteView | null> {
  const database = await getDatabase();
  const { routes } = await cacheFor(database);
  const key = `${agentId}:${environment}`;
  let entry = routes.get(key);
  const fresh = entry ? await entry : undefined;
  if (!entry || (fresh && Date.now() - fresh.loadedAt > CACHE_MAX_AGE_MS)) {
    entry = readRoute(database, agentId, environment);
    routes.set(key, entry);
    entry.catch(() => routes.delete(key));
  }
  return entry;
}

/** Drops this process's cached route (after a change made here whose notification is still on its way). */
export async function forgetRoute(agentId: string, environment: Environment): Promise<void> {
  (await cacheFor(await getDatabase())).routes.delete(`${agentId}:${environment}`);
}

/** Whether the route has traffic at all (the invoke API sends such agents through here). */
export async function hasRoute(agentId: string, environment: Environment): Promise<boolean> {
  return (await routeView(agentId, environment)) !== null;
}
