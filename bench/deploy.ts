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
import { spawn } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { openInProcessDatabase } from "./lib/database";
import { isMain, printFigures, runStandalone } from "./lib/standalone";
import { percentile, round } from "./lib/stats";
import type { BenchContext, BenchModule, Figure } from "./lib/types";

const CALLS = Number(process.env.BENCH_ROUTER_CALLS ?? 2_000);
const SECONDS = Number(process.env.BENCH_ROUTER_SECONDS ?? 3);
const DEPLOYMENTS = Number(process.env.BENCH_DEPLOYMENTS ?? 1_000);

export const bench: BenchModule = {
  name: "deploy",
  description: "router overhead and throughput vs calling the instance directly; 1,000 deployments at once",
  run: (ctx: BenchContext) =>
    new Promise<Figure[]>((resolve, reject) => {
      const child = spawn(
        process.execPath,
        ["--import", "tsx", "--conditions=react-server", fileURLToPath(import.meta.url), "--child"],
        {
          env: { ...process.env, DATABASE_URL: ctx.db.url, DATABASE_POOL_MAX: "20", LOG_LEVEL: "error" },
          stdio: ["ignore", "pipe", "inherit"],
        },
      );
      let out = "";
      child.stdout!.on("data", (c: Buffer) => {
        out += c.toString();
        for (const line of c.toString().split("\n")) if (line && !line.startsWith("FIGURES ")) ctx.log(line);
      });
      child.on("error", reject);
      child.on("exit", (code) => {
        const line = out.split("\n").find((l) => l.startsWith("FIGURES "));
        if (code === 0 && line) resolve(JSON.parse(line.slice(8)) as Figure[]);
        else reject(new Error(`deploy bench exited with ${code}`));
      });
    }),
};

type Log = (line: string) => void;

async function seedAgent(name: string) {
  const { agents, agentVersions } = await import("@/db/schema");
  const { getDb } = await import("@/db/client");
  const { DEFAULT_CODE_CONFIGURATION } = await import("@/lib/deploy/types");
  const db = await getDb();
  const [agent] = await db.insert(agents).values({ name }).returning({ id: agents.id });
  const [version] = await db
    .insert(agentVersions)
    .values({
      agentId: agent!.id,
      version: "1.0.0",
      source: "artifact",
      artifact: "text-stats",
      entrypoint: "server.mjs",
      configuration: { ...DEFAULT_CODE_CONFIGURATION, concurrent_executions: 64 },
      codeDigest: `bench:${name}`,
    })
    .returning();
  return { agentId: agent!.id, version: version! };
}

/**
 * Latencies of `a` and `b` called in turns (so that a busy moment of the machine hits both alike), then calls per
 * second of 32 callers for `SECONDS`, twice each way in turns, the better of the two.
 */
async function compare(a: () => Promise<void>, b: () => Promise<void>) {
  for (let i = 0; i < 100; i++) await Promise.all([a(), b()]);
  const times: [number[], number[]] = [[], []];
  for (let i = 0; i < CALLS; i++) {
    for (const [k, fn] of [a, b].entries()) {
      const t0 = performance.now();
      await fn();
      times[k]!.push(performance.now() - t0);
    }
  }
  const rate = async (fn: () => Promise<void>) => {
    let done = 0;
    const until = performance.now() + SECONDS * 1000;
    await Promise.all(
      Array.from({ length: 32 }, async () => {
        while (performance.now() < until) {
          await fn();
          done += 1;
        }
      }),
    );
    return done / SECONDS;
  };
  const rates: [number, number] = [0, 0];
  for (let round = 0; round < 2; round++) {
    rates[0] = Math.max(rates[0], await rate(a));
    rates[1] = Math.max(rates[1], await rate(b));
  }
  return times.map((t, k) => ({ sorted: t.sort((x, y) => x - y), perSecond: rates[k]! })) as [
    { sorted: number[]; perSecond: number },
    { sorted: number[]; perSecond: number },
  ];
}

async function routerFigures(log: Log): Promise<Figure[]> {
  const { inTransaction } = await import("@/lib/db");
  const { agentRoutes } = await import("@/db/schema");
  const { InstanceManager } = await import("@/lib/deploy/instances/manager");
  const { routeCall } = await import("@/lib/deploy/router");
  const { flushMetrics } = await import("@/lib/metrics/recorder");
  const { agentId, version } = await seedAgent("router-bench");
  const manager = new InstanceManager();
  const route = { agentId, environment: "prod" as const, host: "local" as const };
  const health = { path: "/health", failureThreshold: 3, timeoutMs: 2_000 };
  const started = await manager.ensure(route, version, 1, health);
  if (started.errors.length) throw new Error(`the instance did not start: ${started.errors[0]}`);
  try {
    await inTransaction((tx) =>
      tx.insert(agentRoutes).values({ ...route, weights: [{ version_id: version.id, weight: 100 }] }),
    );
    const [instance] = await manager.activeInstances(route, version.id);
    const body = JSON.stringify({ prompt: "The router adds little. Measure it." });
    const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
    const direct = () =>
      new Promise<void>((resolve, reject) => {
        const req = http.request(
          {
            socketPath: instance!.address!,
            path: "/invocations",
            method: "POST",
            agent,
            headers: { "content-type": "application/json", "content-length": Buffer.byteLength(body) },
          },
          (res) => {
            res.resume();
            res.on("end", () => (res.statusCode === 200 ? resolve() : reject(new Error(`HTTP ${res.statusCode}`))));
          },
        );
        req.on("error", reject);
        req.end(body);
      });
    const routed = async () => {
      const a = await routeCall({ agentId, environment: "prod", body });
      if (a.status !== 200) throw new Error(`HTTP ${a.status}`);
    };
    log(`router: ${CALLS} sequential calls and 2 x ${SECONDS} s of 32 callers, each way`);
    const [d, r] = await compare(direct, routed);
    await flushMetrics();
    const over = (p: number) => round(percentile(r.sorted, p) - percentile(d.sorted, p), 3);
    const ratio = round(r.perSecond / d.perSecond, 3);
    return [
      {
        name: "router overhead, p50",
        value: over(50),
        unit: "ms",
        target: "< 2",
        met: over(50) < 2,
        note: `direct p50 ${round(percentile(d.sorted, 50), 3)} ms, routed ${round(percentile(r.sorted, 50), 3)} ms`,
      },
      { name: "router overhead, p99", value: over(99), unit: "ms" },
      {
        name: "throughput through the router / direct",
        value: ratio,
        unit: "ratio",
        target: ">= 0.8",
        met: ratio >= 0.8,
        note: `${Math.round(r.perSecond)} vs ${Math.round(d.perSecond)} calls/s, 32 callers, one sandboxed instance`,
      },
    ];
  } finally {
    await manager.stopAll("bench over");
  }
}

/** Instances for part 2: an HTTP server on a Unix socket answering the contract's paths. */
function socketHost(dir: string) {
  let n = 0;
  return {
    async start() {
      const address = path.join(dir, `i${++n}.sock`);
      const server = http.createServer((req, res) => {
        res.setHeader("content-type", "application/json");
        res.end(req.url === "/invocations" ? '{"response":"ok"}' : '{"status":"Healthy"}');
      });
      await new Promise<void>((resolve) => server.listen(address, resolve));
      let end!: (reason: string) => void;
      const exited = new Promise<string>((r) => (end = r));
      return {
        address,
        exited,
        stop: async () => {
          server.closeAllConnections();
          await new Promise((r) => server.close(r));
          end("stopped");
        },
      };
    },
  };
}

async function controllerFigures(log: Log): Promise<Figure[]> {
  const { Controller } = await import("@/lib/deploy/controller");
  const { pendingPhases } = await import("@/lib/deploy/controller/phases");
  const { enqueueDeployment } = await import("@/lib/deploy/controller");
  const { inTransaction } = await import("@/lib/db");
  const { agentRoutes, deployments } = await import("@/db/schema");
  const { getDb } = await import("@/db/client");
  const { DEFAULT_DEPLOYMENT_CONFIG } = await import("@/lib/deploy/types");
  const { sql } = await import("drizzle-orm");
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "deploy-bench-"));
  const steps: number[] = [];
  const byPhase = new Map<string, number[]>();
  const controller = new Controller({
    host: socketHost(dir),
    unavailable: () => null,
    workers: 8,
    batchSize: 2,
    pollingIntervalSeconds: 0.5,
    decorateSteps: (table) =>
      Object.fromEntries(
        Object.entries(table).map(([phase, step]) => [
          phase,
          async (ctx: Parameters<typeof step>[0]) => {
            const t0 = performance.now();
            try {
              return await step(ctx);
            } finally {
              steps.push(performance.now() - t0);
              byPhase.set(phase, [...(byPhase.get(phase) ?? []), performance.now() - t0]);
            }
          },
        ]),
      ) as typeof table,
  });
  await controller.start();
  try {
    log(`controller: seeding ${DEPLOYMENTS} agents with a version each`);
    const seeded: Awaited<ReturnType<typeof seedAgent>>[] = [];
    for (let i = 0; i < DEPLOYMENTS; i++) seeded.push(await seedAgent(`deploy-bench-${i}`));
    const config = {
      ...DEFAULT_DEPLOYMENT_CONFIG,
      evaluation_interval: 1,
      health_check: { enabled: true, path: "/health", interval: 5 },
    } as unknown as Record<string, unknown>;
    log(`controller: ${DEPLOYMENTS} deployments at once`);
    const t0 = performance.now();
    await inTransaction(async (tx) => {
      const rows = await tx
        .insert(deployments)
        .values(
          seeded.map((s) => ({
            agentId: s.agentId,
            environment: "prod" as const,
            host: "local" as const,
            versionId: s.version.id,
            strategy: "initial" as const,
            phases: pendingPhases(),
            currentPhase: "validate",
            config,
          })),
        )
        .returning({ id: deployments.id });
      await tx
        .insert(agentRoutes)
        .values(
          seeded.map((s) => ({ agentId: s.agentId, environment: "prod" as const, host: "local" as const, config })),
        );
      for (const r of rows) await enqueueDeployment(tx, r.id);
    });
    const db = await getDb();
    const deadline = Date.now() + 10 * 60_000;
    for (;;) {
      const [row] = await db
        .select({ n: sql<number>`count(*)::int` })
        .from(deployments)
        .where(sql`${deployments.status} = 'deploying'`);
      if (Number(row?.n) === 0) break;
      if (Date.now() > deadline) throw new Error(`${row?.n} deployments still in progress after 10 minutes`);
      await new Promise((r) => setTimeout(r, 200));
    }
    const total = (performance.now() - t0) / 1000;
    const slowest = [...byPhase].map(([phase, list]) => ({
      phase,
      p99: percentile(
        list.sort((a, b) => a - b),
        99,
      ),
    }));
    slowest.sort((x, y) => y.p99 - x.p99);
    const [failed] = await db
      .select({ n: sql<number>`count(*)::int` })
      .from(deployments)
      .where(sql`${deployments.status} <> 'deployed'`);
    const sorted = steps.sort((a, b) => a - b);
    const p99 = round(percentile(sorted, 99), 1);
    return [
      {
        name: `${DEPLOYMENTS} deployments at once: phase step, p99`,
        value: p99,
        unit: "ms",
        target: "< 1000",
        met: p99 < 1000 && Number(failed?.n) === 0,
        note: `${sorted.length} steps, p50 ${round(percentile(sorted, 50), 1)} ms, slowest ${round(sorted.at(-1) ?? 0, 1)} ms; slowest phase ${slowest[0]?.phase} (p99 ${round(slowest[0]?.p99 ?? 0, 1)} ms); ${Number(failed?.n)} not deployed`,
      },
      {
        name: `${DEPLOYMENTS} deployments at once: all deployed after`,
        value: round(total, 1),
        unit: "s",
        note: "one controller, 16 steps in flight",
      },
    ];
  } finally {
    await controller.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export async function run(log: Log = (l) => console.log(`[deploy] ${l}`)): Promise<Figure[]> {
  // Every deployment of part 2 runs an instance on this host at once.
  process.env.DEPLOY_LOCAL_MAX_INSTANCES ??= String(DEPLOYMENTS + 10);
  (await import("@/lib/env")).reloadEnv();
  const opened = await openInProcessDatabase(log, process.env.BENCH_DEPLOY_DB === "pglite");
  try {
    const figures = [...(await routerFigures(log)), ...(await controllerFigures(log))];
    printFigures(figures);
    return figures;
  } finally {
    await opened.close();
  }
}

if (isMain(import.meta.url)) {
  runStandalone(
    process.argv.includes("--child")
      ? async () => {
          const figures = await run((l) => console.log(l));
          console.log(`FIGURES ${JSON.stringify(figures)}`);
          return [];
        }
      : run,
  );
}
