/**
 * Runtime benchmark.
 *
 * 1. Local host: time from `POST /api/agents/{id}/run` to the execution being `running` (the demo agent answers
 *    /ping), median and p90 over BENCH_RUNTIME_RUNS (20) runs after 3 warm-ups; target: median < 300 ms.
 * 2. Reconciler at scale: BENCH_RECONCILE_EXECUTIONS (10,000) live Fargate executions on the ECS test endpoint
 *    (fake tasks, no processes). One sweep must make at most 100 DescribeTasks calls and finish within a few
 *    seconds (target < 5 s); a second sweep, after 1% of the tasks stopped, records those changes.
 *
 * - Under `npm run bench` (module `runtime`): part 1 goes over HTTP to `next start` (running is observed on the
 *   execution's SSE stream); part 2 runs `reconcileOnce()` in a child process on the bench database.
 * - Standalone (`tsx bench/runtime.ts`, exported `run()`): both in-process (route handlers called directly) on
 *   DATABASE_URL, else a fresh database of the local PostgreSQL (dropped after), else PGlite. It re-executes
 *   itself with `--conditions=react-server` so that the app's `server-only` modules load.
 */
import { generateApiKey } from "@/lib/auth/api-keys";
import { SseParser } from "@/lib/events/sse-parse";
import { openInProcessDatabase } from "./lib/database";
import { figuresFromChild, isMain, printFigures, printFiguresForParent, runStandalone } from "./lib/standalone";
import { measureReconciler } from "./lib/reconciler-sweep";
import { percentile, round } from "./lib/stats";
import type { BenchContext, BenchModule, Figure } from "./lib/types";

const RUNS = Number(process.env.BENCH_RUNTIME_RUNS ?? 20);
const WARMUP = 3;
const SCALE = Number(process.env.BENCH_RECONCILE_EXECUTIONS ?? 10_000);
const TARGET_MEDIAN_MS = 300;
/** An installed artifact (agents/text-stats/agent.json): the local host runs nothing else. */
const RUNTIME = { kind: "local", artifact: "text-stats" };

function startupFigures(times: number[], where: string): Figure[] {
  const sorted = [...times].sort((a, b) => a - b);
  const median = round(percentile(sorted, 50), 1);
  return [
    {
      name: "local run -> running, median",
      value: median,
      unit: "ms",
      target: `< ${TARGET_MEDIAN_MS}`,
      met: median < TARGET_MEDIAN_MS,
      note: `${times.length} runs of text-stats, ${where}`,
    },
    { name: "local run -> running, p90", value: round(percentile(sorted, 90), 1), unit: "ms" },
  ];
}

/** Reads an execution's SSE stream until `execution_running` (throws on a final status first). */
async function runningOnStream(url: string, id: string, key: string): Promise<void> {
  const res = await fetch(`${url}/api/executions/${id}/events`, { headers: { "x-agent-key": key } });
  if (!res.ok || !res.body) throw new Error(`events stream: HTTP ${res.status}`);
  const parser = new SseParser();
  const reader = res.body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) throw new Error("stream ended before running");
      for (const f of parser.push(value)) {
        if (f.event === "execution_running") return;
        if (f.event && /execution_(completed|failed|stopped)/.test(f.event)) throw new Error(`execution ${f.event}`);
      }
    }
  } finally {
    await reader.cancel().catch(() => {});
  }
}

/** Under `npm run bench`: part 1 against next start over HTTP; part 2 in a child process on the bench database. */
export const bench: BenchModule = {
  name: "runtime",
  description: "POST /run -> running on the local host (median); one reconciler sweep over 10,000 Fargate executions",
  async run(ctx: BenchContext): Promise<Figure[]> {
    const server = await ctx.startServer({ EXECUTION_MAX_CONCURRENT_PER_AGENT: "50", RECONCILE_INTERVAL_MS: "60000" });
    const figures: Figure[] = [];
    try {
      const { rows } = await ctx.db.pool.query<{ id: string }>(
        "INSERT INTO agents (name, description, runtime) VALUES ('runtime-bench', 'bench', $1::jsonb) RETURNING id",
        [JSON.stringify(RUNTIME)],
      );
      const agentId = rows[0]!.id;
      const k = generateApiKey();
      await ctx.db.pool.query("INSERT INTO api_keys (agent_id, key_hash, suffix, scopes) VALUES ($1, $2, $3, $4)", [
        agentId,
        k.hash,
        k.suffix,
        ["executions:read", "executions:write"],
      ]);
      const headers = { "content-type": "application/json", "x-agent-key": k.key };
      const times: number[] = [];
      for (let i = 0; i < WARMUP + RUNS; i++) {
        const t0 = performance.now();
        const res = await fetch(`${server.url}/api/agents/${agentId}/run`, {
          method: "POST",
          headers,
          body: JSON.stringify({ input: { text: `bench run ${i}` } }),
        });
        const body = (await res.json()) as { execution_id: string };
        if (res.status !== 202) throw new Error(`run: HTTP ${res.status} ${JSON.stringify(body)}`);
        await runningOnStream(server.url, body.execution_id, k.key);
        if (i >= WARMUP) times.push(performance.now() - t0);
        await fetch(`${server.url}/api/executions/${body.execution_id}/stop`, { method: "POST", headers });
      }
      figures.push(...startupFigures(times, "next start over HTTP, observed on the SSE stream"));
    } finally {
      await server.stop();
    }
    ctx.log("runtime: reconciler sweep in a child process");
    figures.push(...(await reconcilerInChild(ctx.db.url)));
    return figures;
  },
};

function reconcilerInChild(databaseUrl: string): Promise<Figure[]> {
  return figuresFromChild(import.meta.url, ["--reconcile-only"], { DATABASE_URL: databaseUrl });
}

/** Standalone: everything in-process on DATABASE_URL, a fresh local PostgreSQL database, or PGlite. */
export async function run(log: (l: string) => void = (l) => console.log(`[runtime] ${l}`)): Promise<Figure[]> {
  const { agents, apiKeys, executions } = await import("@/db/schema");
  const { reloadEnv } = await import("@/lib/env");
  const { POST: runRoute } = await import("@/app/api/agents/[id]/run/route");
  const { POST: stopRoute } = await import("@/app/api/executions/[id]/stop/route");
  const { eq } = await import("drizzle-orm");
  Object.assign(process.env, { EXECUTION_MAX_CONCURRENT_PER_AGENT: "50" });
  reloadEnv();
  const opened = await openInProcessDatabase(log, process.env.BENCH_RUNTIME_DB === "pglite");
  const database = opened.database;
  try {
    const [agent] = await database.db
      .insert(agents)
      .values({ name: "runtime-bench", runtime: RUNTIME })
      .returning({ id: agents.id });
    const agentId = agent!.id;
    const k = generateApiKey();
    await database.db
      .insert(apiKeys)
      .values({ agentId, keyHash: k.hash, suffix: k.suffix, scopes: ["executions:read", "executions:write"] });
    const req = (path: string, body?: unknown) =>
      new Request(`http://localhost${path}`, {
        method: "POST",
        headers: { "content-type": "application/json", "x-agent-key": k.key },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    const times: number[] = [];
    for (let i = 0; i < WARMUP + RUNS; i++) {
      const t0 = performance.now();
      const res = await runRoute(req(`/api/agents/${agentId}/run`, { input: { text: `bench ${i}` } }), {
        params: Promise.resolve({ id: agentId }),
      });
      const { execution_id: id } = (await res.json()) as { execution_id: string };
      // Polls the record every 2 ms: the resolution of this figure.
      for (;;) {
        const [row] = await database.db.select({ s: executions.status }).from(executions).where(eq(executions.id, id));
        if (row?.s === "running") break;
        if (row && row.s !== "starting") throw new Error(`execution ${row.s}`);
        await new Promise((r) => setTimeout(r, 2));
      }
      if (i >= WARMUP) times.push(performance.now() - t0);
      await stopRoute(req(`/api/executions/${id}/stop`), { params: Promise.resolve({ id }) });
    }
    const figures = [
      ...startupFigures(times, `in-process handler, ${database.driver}`),
      ...(await measureReconciler(log, SCALE)),
    ];
    printFigures(figures);
    return figures;
  } finally {
    const { hosts } = await import("@/lib/runtime/hosts/index");
    hosts().local.killAll();
    await opened.close();
  }
}

if (isMain(import.meta.url)) {
  runStandalone(
    process.argv.includes("--reconcile-only")
      ? async () => {
          // The child process of `reconcilerInChild`.
          printFiguresForParent(await measureReconciler((l) => console.error(l), SCALE));
          return [];
        }
      : run,
  );
}
