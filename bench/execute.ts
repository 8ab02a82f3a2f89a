/**
 * Execute benchmark (POST /api/agents/{id}/execute, lib/runtime/execute).
 *
 * 1. Sync round trip overhead: POST /execute's handler core (`executeAgent`, sync: record, claim, route, write the
 *    result, answer) against a direct POST /invocations to the same instance, BENCH_EXECUTE_CALLS (500) each, in
 *    turns. The instance is a small HTTP server on a Unix socket in this process (what the router calls; the
 *    router's own cost is bench/deploy.ts's). Target: p50 added < 5 ms.
 * 2. Queue throughput: BENCH_EXECUTE_QUEUED (2,000) async executions enqueued by 16 callers, then dispatched and
 *    run by one worker (EXECUTE_WORKER_CONCURRENCY 64); executions per second from the first enqueue to the last
 *    completion. Target: >= 500/s.
 * 3. Callback delivery: BENCH_EXECUTE_CALLBACKS (300) async executions with a callback_url to a loopback receiver;
 *    from each execution's completed_at (on its record) to the receipt of its signed callback. Target: p99 < 1 s.
 *
 * Under `npm run bench` (module `execute`) it runs in a child process on the bench database; standalone
 * (`tsx bench/execute.ts`) on DATABASE_URL, a fresh local PostgreSQL database, or PGlite (BENCH_EXECUTE_DB=pglite).
 */
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { openInProcessDatabase } from "./lib/database";
import { childProcessBench, printFigures } from "./lib/standalone";
import { percentile, round } from "./lib/stats";
import type { Figure } from "./lib/types";

const CALLS = Number(process.env.BENCH_EXECUTE_CALLS ?? 500);
const QUEUED = Number(process.env.BENCH_EXECUTE_QUEUED ?? 2_000);
const CALLBACKS = Number(process.env.BENCH_EXECUTE_CALLBACKS ?? 300);

export const bench = childProcessBench(import.meta.url, {
  name: "execute",
  description: "execute sync overhead vs a direct call, queue throughput, callback delivery after completion",
  run,
});

type Log = (line: string) => void;

/** An agent instance: answers POST /invocations with its input at once. */
async function instance(dir: string) {
  const address = path.join(dir, "agent.sock");
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      res.setHeader("content-type", "application/json");
      const body = JSON.parse(Buffer.concat(chunks).toString() || "{}") as { input?: unknown };
      res.end(JSON.stringify({ output: { echo: body.input ?? null } }));
    });
  });
  await new Promise<void>((r) => server.listen(address, r));
  return { address, close: () => new Promise<void>((r) => (server.closeAllConnections(), server.close(() => r()))) };
}

async function seed(address: string) {
  const { getDb } = await import("@/db/client");
  const { agents, agentRoutes, agentVersions, deploymentInstances } = await import("@/db/schema");
  const { DEFAULT_CODE_CONFIGURATION } = await import("@/lib/deploy/types");
  const { sealWebhookSecret } = await import("@/lib/deploy/webhook-secret");
  const db = await getDb();
  const [agent] = await db.insert(agents).values({ name: "execute-bench" }).returning({ id: agents.id });
  const [caller] = await db.insert(agents).values({ name: "execute-bench-caller" }).returning({ id: agents.id });
  const agentId = agent!.id;
  const [version] = await db
    .insert(agentVersions)
    .values({
      agentId,
      version: "1.0.0",
      source: "artifact",
      artifact: "bench",
      entrypoint: "server.mjs",
      configuration: { ...DEFAULT_CODE_CONFIGURATION, concurrent_executions: 64 },
      codeDigest: "bench:execute",
    })
    .returning({ id: agentVersions.id });
  await db.insert(agentRoutes).values({
    agentId,
    environment: "prod",
    host: "local",
    weights: [{ version_id: version!.id, weight: 100 }],
    liveVersionId: version!.id,
    webhookSecret: sealWebhookSecret(agentId, "prod", "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"),
  });
  await db.insert(deploymentInstances).values({
    agentId,
    versionId: version!.id,
    environment: "prod",
    host: "local",
    status: "healthy",
    node: "bench",
    address,
  });
  return { agentId, callerId: caller!.id };
}

async function run(log: Log): Promise<Figure[]> {
  process.env.CALLBACK_ALLOW_LOOPBACK = "true";
  process.env.EXECUTE_WORKER_CONCURRENCY ??= "64";
  process.env.RATE_LIMIT_INVOCATIONS_PER_MIN ??= "10000000";
  // The queue figure enqueues thousands at once from 16 callers: past the per-caller cap of unfinished executions.
  process.env.EXECUTE_MAX_PENDING_PER_CALLER ??= String(QUEUED + CALLBACKS);
  (await import("@/lib/env")).reloadEnv();
  const opened = await openInProcessDatabase(log, process.env.BENCH_EXECUTE_DB === "pglite");
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "execute-bench-"));
  const agent = await instance(path.join(dir));
  const { executeAgent } = await import("@/lib/runtime/execute/create");
  const { ExecutionWorker } = await import("@/lib/runtime/execute/worker");
  const { installQueue } = await import("@/lib/deploy/controller/queue");
  const { SCOPES } = await import("@/lib/auth/scopes");
  const { getDb } = await import("@/db/client");
  const { executions } = await import("@/db/schema");
  const { and, eq, sql } = await import("drizzle-orm");
  await installQueue(opened.database, 60);
  const { agentId, callerId } = await seed(agent.address);
  const principal = { kind: "agent" as const, agentId: callerId, keyId: "bench", scopes: SCOPES };
  const origin = "http://bench.local";
  const figures: Figure[] = [];
  let worker: InstanceType<typeof ExecutionWorker> | undefined;
  try {
    // 1. sync round trip vs direct
    const keepAlive = new http.Agent({ keepAlive: true });
    const payload = JSON.stringify({ input: { text: "hi" }, context: {} });
    const direct = () =>
      new Promise<void>((resolve, reject) => {
        const req = http.request(
          { socketPath: agent.address, path: "/invocations", method: "POST", agent: keepAlive },
          (res) => (res.resume(), res.on("end", () => resolve())),
        );
        req.on("error", reject);
        req.end(payload);
      });
    const sync = async () => {
      const a = await executeAgent(
        principal,
        agentId,
        {
          input_data: { parameters: { text: "hi" } },
          execution_options: { async: false, priority: "normal" },
        } as never,
        { origin },
      );
      if (a.status !== 200 || a.body.status !== "completed") throw new Error(`sync execute answered ${a.status}`);
    };
    for (let i = 0; i < 50; i++) await Promise.all([direct(), sync()]);
    const d: number[] = [];
    const s: number[] = [];
    for (let i = 0; i < CALLS; i++) {
      let t0 = performance.now();
      await direct();
      d.push(performance.now() - t0);
      t0 = performance.now();
      await sync();
      s.push(performance.now() - t0);
    }
    d.sort((x, y) => x - y);
    s.sort((x, y) => x - y);
    const over50 = round(percentile(s, 50) - percentile(d, 50), 3);
    figures.push(
      {
        name: "execute sync overhead over a direct call, p50",
        value: over50,
        unit: "ms",
        target: "< 5",
        met: over50 < 5,
        note: `direct p50 ${round(percentile(d, 50), 3)} ms, execute ${round(percentile(s, 50), 3)} ms, ${CALLS} calls`,
      },
      { name: "execute sync overhead, p99", value: round(percentile(s, 99) - percentile(d, 99), 3), unit: "ms" },
    );
    log(`sync: p50 overhead ${over50} ms`);

    // 2. queue throughput: enqueue QUEUED async executions, one worker dispatches and runs them
    const asyncBody = (extra: Record<string, unknown> = {}) =>
      ({
        input_data: { parameters: { text: "q" } },
        execution_options: { async: true, priority: "normal", ...extra },
      }) as never;
    const db = await getDb();
    const done = async () =>
      Number(
        (
          await db
            .select({ n: sql<number>`count(*)::int` })
            .from(executions)
            .where(and(eq(executions.agentId, agentId), eq(executions.status, "completed")))
        )[0]?.n,
      );
    const before = await done();
    worker = await new ExecutionWorker({ pollingIntervalSeconds: 0.5, supervise: false }).start();
    const t0 = performance.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: 16 }, async () => {
        while (next < QUEUED) {
          next += 1;
          await executeAgent(principal, agentId, asyncBody(), { origin });
        }
      }),
    );
    const enqueuedS = (performance.now() - t0) / 1000;
    const deadline = Date.now() + 120_000;
    let completed = 0;
    while ((completed = (await done()) - before) < QUEUED && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 50));
    }
    const totalS = (performance.now() - t0) / 1000;
    const rate = round(completed / totalS, 1);
    figures.push({
      name: "queue throughput, enqueued and dispatched",
      value: rate,
      unit: "executions/s",
      target: ">= 500",
      met: rate >= 500 && completed === QUEUED,
      note: `${completed} of ${QUEUED} async executions completed, enqueued in ${round(enqueuedS, 2)} s (${Math.round(QUEUED / enqueuedS)}/s), all completed in ${round(totalS, 2)} s`,
    });
    log(`queue: ${rate}/s`);

    // 3. callback delivery after completion
    const lags: number[] = [];
    const receiver = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        const at = Date.now();
        const body = JSON.parse(Buffer.concat(chunks).toString()) as {
          data: { performance: { completed_at: string } };
        };
        lags.push(at - Date.parse(body.data.performance.completed_at));
        res.statusCode = 204;
        res.end();
      });
    });
    await new Promise<void>((r) => receiver.listen(0, "127.0.0.1", r));
    const port = (receiver.address() as { port: number }).port;
    for (let i = 0; i < CALLBACKS; i++) {
      await executeAgent(principal, agentId, asyncBody({ callback_url: `http://127.0.0.1:${port}/hook` }), { origin });
      if (i % 10 === 9) await new Promise((r) => setTimeout(r, 20)); // spread out, not one burst
    }
    const until = Date.now() + 60_000;
    while (lags.length < CALLBACKS && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
    receiver.closeAllConnections();
    receiver.close();
    lags.sort((x, y) => x - y);
    const p99 = lags.length ? percentile(lags, 99) : null;
    figures.push({
      name: "callback delivery after completion, p99",
      value: p99,
      unit: "ms",
      target: "< 1000",
      met: p99 !== null && lags.length === CALLBACKS && p99 < 1000,
      note: `${lags.length} of ${CALLBACKS} callbacks received, p50 ${lags.length ? percentile(lags, 50) : "-"} ms (completed_at has ms precision)`,
    });
    printFigures(figures);
    return figures;
  } finally {
    await worker?.stop();
    await agent.close();
    fs.rmSync(dir, { recursive: true, force: true });
    await opened.close();
  }
}
