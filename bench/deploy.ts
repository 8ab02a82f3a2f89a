/**
 * Deployment benchmark.
 *
 * 1. Router overhead: one sandboxed instance of the demo agent text-stats, called BENCH_ROUTER_CALLS (2,000) times
 *    one after another directly (POST /invocations over its socket, keep-alive) and through the router
 *    (`routeCall`: version by weight, least-loaded instance, timeout, metrics); p50 and p99 of the difference.
 *    Target: p50 overhead < 2 ms. Then 32 callers for BENCH_ROUTER_SECONDS (3) each way: throughput through the
 *    router as a ratio to direct. Target: >= 0.8.
 * 2. BENCH_DEPLOYMENTS (1,000) deployments driven at once by one controller, with instances that are small HTTP
 *    servers on Unix sockets in the bench process (the controller, queue, leases and health checks are the real
 *    ones; the sandboxes are what part 1 measures). Every phase step is timed. Target: each step < 1 s (p99, and
 *    the slowest is shown).
 *
 * Under `npm run bench` (module `deploy`) it runs in a child process on the bench database; standalone
 * (`tsx bench/deploy.ts`) on DATABASE_URL, a fresh local PostgreSQL database, or PGlite.
 */
import { controllerFigures } from "./deploy/controller";
import { routerFigures } from "./deploy/router";
import { openInProcessDatabase } from "./lib/database";
import { childProcessBench, printFigures } from "./lib/standalone";
import type { Figure } from "./lib/types";

const CALLS = Number(process.env.BENCH_ROUTER_CALLS ?? 2_000);
const SECONDS = Number(process.env.BENCH_ROUTER_SECONDS ?? 3);
const DEPLOYMENTS = Number(process.env.BENCH_DEPLOYMENTS ?? 1_000);

export const bench = childProcessBench(import.meta.url, {
  name: "deploy",
  description: "router overhead and throughput vs calling the instance directly; 1,000 deployments at once",
  env: { DATABASE_POOL_MAX: "20" },
  run,
});

type Log = (line: string) => void;

async function run(log: Log): Promise<Figure[]> {
  // Every deployment of part 2 runs an instance on this host at once.
  process.env.DEPLOY_LOCAL_MAX_INSTANCES ??= String(DEPLOYMENTS + 10);
  (await import("@/lib/env")).reloadEnv();
  const opened = await openInProcessDatabase(log, process.env.BENCH_DEPLOY_DB === "pglite");
  try {
    const figures = [...(await routerFigures(log, CALLS, SECONDS)), ...(await controllerFigures(log, DEPLOYMENTS))];
    printFigures(figures);
    return figures;
  } finally {
    await opened.close();
  }
}
