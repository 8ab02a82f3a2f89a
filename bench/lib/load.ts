import http from "node:http";
import { percentile, round } from "./stats";

export interface LoadOptions {
  /** Full URL of each request; called per request (i: request number, conn: connection) so that paths can rotate. */
  url: (i: number, conn: number) => string;
  /** For writes: the method, and each request's headers and JSON body (default GET without a body). */
  method?: string;
  headers?: (i: number, conn: number) => Record<string, string>;
  body?: (i: number, conn: number) => unknown;
  connections?: number;
  durationMs?: number;
  /** Upper bound on requests, whatever the duration. */
  maxRequests?: number;
}

export interface LoadResult {
  requests: number;
  errors: number;
  /** Responses other than 2xx (counted in requests, reported so that a broken route is not a "fast" route). */
  non2xx: number;
  rps: number;
  p50_ms: number;
  p99_ms: number;
  seconds: number;
  /** Every latency in ms, ascending (for merging slices). */
  latencies: number[];
}

/**
 * A small closed-loop load generator: `connections` keep-alive sockets on loopback, each sending its next
 * request as soon as the previous response has been read, for `durationMs` or `maxRequests`.
 */
export async function runLoad(opts: LoadOptions): Promise<LoadResult> {
  const connections = opts.connections ?? 64;
  const durationMs = opts.durationMs ?? 8_000;
  const maxRequests = opts.maxRequests ?? 1_000_000;
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections, maxFreeSockets: connections });
  const latencies: number[] = [];
  let issued = 0;
  let errors = 0;
  let non2xx = 0;
  const start = performance.now();
  const deadline = start + durationMs;

  const one = (i: number, conn: number) =>
    new Promise<void>((resolve) => {
      const body = opts.body ? JSON.stringify(opts.body(i, conn)) : undefined;
      const headers = { ...opts.headers?.(i, conn), ...(body ? { "content-type": "application/json" } : {}) };
      const t0 = performance.now();
      const req = http.request(opts.url(i, conn), { agent, method: opts.method ?? "GET", headers }, (res) => {
        res.on("data", () => {});
        res.on("end", () => {
          latencies.push(performance.now() - t0);
          if ((res.statusCode ?? 0) < 200 || (res.statusCode ?? 0) >= 300) non2xx++;
          resolve();
        });
        res.on("error", () => (errors++, resolve()));
      });
      req.setTimeout(10_000, () => req.destroy(new Error("timeout")));
      req.on("error", () => (errors++, resolve()));
      req.end(body);
    });

  const worker = async (conn: number) => {
    while (performance.now() < deadline && issued < maxRequests) await one(issued++, conn);
  };
  await Promise.all(Array.from({ length: connections }, (_, conn) => worker(conn)));
  const seconds = (performance.now() - start) / 1000;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  return {
    requests: latencies.length,
    errors,
    non2xx,
    rps: round(latencies.length / seconds, 1),
    p50_ms: round(percentile(latencies, 50)),
    p99_ms: round(percentile(latencies, 99)),
    seconds,
    latencies,
  };
}

/** Combines slices of the same load (e.g. interleaved with other routes) into one result. */
export function mergeLoads(parts: LoadResult[]): LoadResult {
  const latencies = parts.flatMap((p) => p.latencies).sort((a, b) => a - b);
  const seconds = parts.reduce((n, p) => n + p.seconds, 0);
  return {
    requests: latencies.length,
    errors: parts.reduce((n, p) => n + p.errors, 0),
    non2xx: parts.reduce((n, p) => n + p.non2xx, 0),
    rps: round(latencies.length / seconds, 1),
    p50_ms: round(percentile(latencies, 50)),
    p99_ms: round(percentile(latencies, 99)),
    seconds: round(seconds, 1),
    latencies,
  };
}
