import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { percentile, round } from "../lib/stats";
import type { Figure } from "../lib/types";
import { seedAgent } from "./seed";

/*
 * Part 2 of the deploy bench (../deploy.ts): `count` deployments driven at once by one real controller, with
 * instances that are small HTTP servers on Unix sockets in this process. Every phase step is timed.
 */

type Log = (line: string) => void;

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

export async function controllerFigures(log: Log, count: number): Promise<Figure[]> {
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
    log(`controller: seeding ${count} agents with a version each`);
    const seeded: Awaited<ReturnType<typeof seedAgent>>[] = [];
    for (let i = 0; i < count; i++) seeded.push(await seedAgent(`deploy-bench-${i}`));
    const config = {
      ...DEFAULT_DEPLOYMENT_CONFIG,
      evaluation_interval: 1,
      health_check: { enabled: true, path: "/health", interval: 5 },
    } as unknown as Record<string, unknown>;
    log(`controller: ${count} deployments at once`);
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
        name: `${count} deployments at once: phase step, p99`,
        value: p99,
        unit: "ms",
        target: "< 1000",
        met: p99 < 1000 && Number(failed?.n) === 0,
        note: `${sorted.length} steps, p50 ${round(percentile(sorted, 50), 1)} ms, slowest ${round(sorted.at(-1) ?? 0, 1)} ms; slowest phase ${slowest[0]?.phase} (p99 ${round(slowest[0]?.p99 ?? 0, 1)} ms); ${Number(failed?.n)} not deployed`,
      },
      {
        name: `${count} deployments at once: all deployed after`,
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
