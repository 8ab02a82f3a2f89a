import "server-only";
import http from "node:http";
import { and, eq, inArray } from "drizzle-orm";
import { getDatabase, type Database } from "@/db/client";
import { agentVersions, deploymentInstances } from "@/db/schema";
import type { TrafficWeight } from "@/db/schema/deployments";
import { ApiError } from "@/lib/api/errors";
import { listen } from "@/lib/events/listen";
import { log } from "@/lib/log";
import { recordCall } from "@/lib/metrics/recorder";
import { callEnded, callStarted, inflightOf } from "./instances/load";
import { loadRoute, ROUTES_CHANNEL } from "./routes";
import type { Environment } from "./types";

/**
 * The one way into a deployed agent: for an agent and environment, pick a version by the route's weights, the
 * least loaded healthy instance of it, call the agent contract's POST /invocations through the instance's socket
 * within the version's timeout, and record the outcome for that version (lib/metrics/recorder.ts).
 *
 * Routes are cached per process and dropped when their change is notified (ROUTES_CHANNEL: weights, an instance's
 * status), so a call costs no query while nothing changes. A lost LISTEN connection drops the whole cache, and
 * entries older than CACHE_MAX_AGE_MS are read again in any case.
 */

interface RouteView {
  generation: number;
  weights: TrafficWeight[];
  versions: Map<string, { version: string; timeoutMs: number }>;
  /** Healthy instances per version. */
  instances: Map<string, { id: string; address: string }[]>;
  loadedAt: number;
}

const CACHE_MAX_AGE_MS = 5_000;
const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });

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

async function routeView(agentId: string, environment: Environment): Promise<RouteView | null> {
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

/** A version by weight; one without a usable instance (healthy, not `skip`ped) is passed over while another has one. */
function pickVersion(view: RouteView, skip: Set<string>, roll = Math.random() * 100): string | null {
  const usable = (v: string) => view.instances.get(v)?.some((i) => !skip.has(i.id)) ?? false;
  const total = view.weights.reduce((n, w) => n + w.weight, 0);
  let at = (roll / 100) * total;
  let chosen = view.weights[view.weights.length - 1]?.version_id ?? null;
  for (const w of view.weights) {
    if (at < w.weight) {
      chosen = w.version_id;
      break;
    }
    at -= w.weight;
  }
  if (chosen && usable(chosen)) return chosen;
  return view.weights.find((w) => usable(w.version_id))?.version_id ?? null;
}

function pickInstance(list: { id: string; address: string }[], skip: Set<string>) {
  let best: { id: string; address: string } | null = null;
  let load = Infinity;
  for (const i of list) {
    if (skip.has(i.id)) continue;
    const n = inflightOf(i.id);
    if (n < load || (n === load && Math.random() < 0.5)) {
      best = i;
      load = n;
    }
  }
  return best;
}

export interface RoutedCall {
  agentId: string;
  environment: Environment;
  /** The agent contract's body: `{ prompt?, input?, sessionId? }`. */
  body: string;
  /** Ask the agent for its streamed answer (SSE frames, passed on as they come). */
  stream?: boolean;
  signal?: AbortSignal;
}

export interface RoutedAnswer {
  status: number;
  versionId: string;
  version: string;
  contentType: string;
  /** The whole body (JSON), or the agent's SSE stream when asked for. */
  body: string | ReadableStream<Uint8Array>;
}

/** Whether the route has traffic at all (the invoke API sends such agents through here). */
export async function hasRoute(agentId: string, environment: Environment): Promise<boolean> {
  return (await routeView(agentId, environment)) !== null;
}

/**
 * Calls the deployed agent. 503 (Retry-After) when no version has a healthy instance, 504 past the version's
 * timeout, 503 when the agent failed to answer; the agent's own 4xx (bad input) is passed on as its answer.
 */
export async function routeCall(call: RoutedCall): Promise<RoutedAnswer> {
  let view = await routeView(call.agentId, call.environment);
  if (!view) throw new ApiError(404, "NotFoundError", `The agent has no deployment in ${call.environment}`);
  const skip = new Set<string>();
  // An instance that refuses the connection never saw the call (it was stopped after this process read the
  // route): read the route again and try another one.
  for (let attempt = 0; attempt < 3 && view; attempt++) {
    const versionId = pickVersion(view, skip);
    const instance = versionId ? pickInstance(view.instances.get(versionId) ?? [], skip) : null;
    if (!versionId || !instance) break;
    const v = view.versions.get(versionId) ?? { version: "", timeoutMs: 30_000 };
    try {
      return await callInstance(call, versionId, v, instance);
    } catch (err) {
      if (!(err instanceof Unreached)) throw err;
      skip.add(instance.id);
      await forgetRoute(call.agentId, call.environment);
      view = await routeView(call.agentId, call.environment);
    }
  }
  throw new ApiError(
    503,
    "ServiceUnavailableError",
    "No healthy instance can take the call; try again shortly",
    undefined,
    {
      "Retry-After": "1",
    },
  );
}

class Unreached extends Error {}

function callInstance(
  call: RoutedCall,
  versionId: string,
  v: { version: string; timeoutMs: number },
  instance: { id: string; address: string },
): Promise<RoutedAnswer> {
  const started = performance.now();
  let bytesOut = 0;
  let settled = false;
  callStarted(instance.id, versionId);
  const finish = (outcome: "ok" | "error" | "timeout") => {
    if (settled) return;
    settled = true;
    callEnded(instance.id, versionId);
    recordCall({
      agentId: call.agentId,
      environment: call.environment,
      versionId,
      latencyMs: performance.now() - started,
      outcome,
      bytesIn: Buffer.byteLength(call.body),
      bytesOut,
    });
  };
  return new Promise<RoutedAnswer>((resolve, reject) => {
    let responded = false;
    const req = http.request({
      socketPath: instance.address,
      path: "/invocations",
      method: "POST",
      agent,
      headers: {
        "content-type": "application/json",
        "content-length": Buffer.byteLength(call.body),
        accept: call.stream ? "text/event-stream" : "application/json",
      },
    });
    const timer = setTimeout(() => {
      finish("timeout");
      req.destroy();
      reject(new ApiError(504, "TimeoutError", `The agent did not answer within ${v.timeoutMs / 1000} s`));
    }, v.timeoutMs);
    const onAbort = () => {
      clearTimeout(timer);
      req.destroy();
    };
    call.signal?.addEventListener("abort", onAbort, { once: true });
    const failed = (err: Error & { code?: string }) => {
      clearTimeout(timer);
      if (settled) return;
      if (!responded && (err.code === "ENOENT" || err.code === "ECONNREFUSED")) {
        settled = true;
        callEnded(instance.id, versionId);
        return reject(new Unreached(err.message));
      }
      finish(call.signal?.aborted ? "ok" : "error");
      reject(new ApiError(503, "ServiceUnavailableError", "The agent could not answer; try again shortly"));
    };
    req.on("error", failed);
    req.on("response", (res) => {
      responded = true;
      const status = res.statusCode ?? 500;
      const contentType = String(res.headers["content-type"] ?? "application/json");
      if (status >= 500) {
        res.resume();
        clearTimeout(timer);
        finish("error");
        return reject(new ApiError(503, "ServiceUnavailableError", "The agent failed to answer"));
      }
      // The agent's 4xx is the caller's mistake, not the version's: it counts as answered.
      const answer = { status, versionId, version: v.version, contentType };
      if (call.stream && contentType.includes("text/event-stream")) {
        const stream = new ReadableStream<Uint8Array>({
          start(controller) {
            res.on("data", (c: Buffer) => {
              bytesOut += c.length;
              controller.enqueue(new Uint8Array(c));
            });
            res.on("end", () => {
              clearTimeout(timer);
              finish("ok");
              controller.close();
            });
            res.on("error", (err) => {
              clearTimeout(timer);
              finish("error");
              controller.error(err);
            });
          },
          cancel() {
            clearTimeout(timer);
            finish("ok");
            res.destroy();
          },
        });
        return resolve({ ...answer, body: stream });
      }
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => {
        bytesOut += c.length;
        chunks.push(c);
      });
      res.on("end", () => {
        clearTimeout(timer);
        finish("ok");
        resolve({ ...answer, body: Buffer.concat(chunks).toString("utf8") });
      });
      res.on("error", failed);
    });
    req.end(call.body);
  });
}
