import type pg from "pg";
import { generateApiKey } from "@/lib/auth/api-keys";
import type { AppServer } from "./lib/app";
import { runLoad, type LoadResult } from "./lib/load";
import { sampleActivity, type ActivityReport } from "./lib/pg-activity";
import { percentile, round } from "./lib/stats";
import type { BenchContext, BenchModule, Figure } from "./lib/types";

/**
 * Writes: `POST /api/jobs` (hire, with an API key, paid from a funded wallet) and `POST /api/jobs/{id}/messages`
 * at 8, 32 and 128 connections, with each way of taking the event log's lock (BENCH_EVENT_LOCK, honoured only
 * with BENCH_ROUTES): `exclusive` (the former global lock held to commit), `shared` (the app's) and `off`. Each connection writes as its own
 * client agent (own wallet, own rate-limit row, own job for messages), so that nothing but the log is shared.
 * While each load runs, pg_stat_activity is sampled and the CPU of node and of the backends is read: where the
 * time goes.
 */

const LEVELS = (process.env.BENCH_WRITES_LEVELS ?? "8,32,128").split(",").map(Number);
const CLIENTS = Math.max(...LEVELS);
const WORKERS = 8;
const TARGET_P95_MS = 200;
const TARGET_RPS = 500;
type LockMode = "exclusive" | "shared" | "off";

interface Seeded {
  keys: string[];
  services: string[];
}

async function seed(pool: pg.Pool): Promise<Seeded> {
  const workers = await pool.query<{ id: string }>(
    `INSERT INTO agents (name, description) SELECT 'writes-worker-' || i, 'bench worker' FROM generate_series(1, $1) i
     RETURNING id`,
    [WORKERS],
  );
  const services = await pool.query<{ id: string }>(
    `INSERT INTO services (agent_id, name, description, price_cents, capabilities_required)
     SELECT a, 'writes bench service', 'a service hired by bench/writes.ts', 100, '{}'::text[] FROM unnest($1::uuid[]) a
     RETURNING id`,
    [workers.rows.map((r) => r.id)],
  );
  const clients = await pool.query<{ id: string }>(
    `INSERT INTO agents (name, description) SELECT 'writes-client-' || i, 'bench client' FROM generate_series(1, $1) i
     RETURNING id`,
    [CLIENTS],
  );
  const ids = clients.rows.map((r) => r.id);
  const keys = ids.map(() => generateApiKey());
  await pool.query(
    `INSERT INTO api_keys (agent_id, key_hash, suffix, scopes)
     SELECT a, h, s, '{jobs:read,jobs:write,inbox:read,inbox:write}' FROM unnest($1::uuid[], $2::text[], $3::text[]) t(a, h, s)`,
    [ids, keys.map((k) => k.hash), keys.map((k) => k.suffix)],
  );
  // Enough credit for every hire the run can make; the ledger's balance is what a hire checks and moves.
  await pool.query(
    `INSERT INTO ledger_accounts (kind, agent_id, balance) SELECT 'agent', a, 1000000000000 FROM unnest($1::uuid[]) a`,
    [ids],
  );
  return { keys: keys.map((k) => k.key), services: services.rows.map((r) => r.id) };
}

type Route = "hire" | "message";

function loadOf(server: AppServer, s: Seeded, jobs: string[], route: Route, connections: number, durationMs: number) {
  const auth = (_i: number, conn: number) => ({ "x-agent-key": s.keys[conn % s.keys.length]! });
  return route === "hire"
    ? runLoad({
        url: () => `${server.url}/api/jobs`,
        method: "POST",
        headers: auth,
        body: (i, conn) => ({ service_id: s.services[conn % s.services.length], title: `bench hire ${i}` }),
        connections,
        durationMs,
      })
    : runLoad({
        url: (_i, conn) => `${server.url}/api/jobs/${jobs[conn % jobs.length]}/messages`,
        method: "POST",
        headers: auth,
        body: (i) => ({ body: `bench message ${i}` }),
        connections,
        durationMs,
      });
}

/** One job per client, hired through the API, for the message load. */
async function hireOnePerClient(server: AppServer, s: Seeded): Promise<string[]> {
  return Promise.all(
    s.keys.map(async (key, i) => {
      const res = await fetch(`${server.url}/api/jobs`, {
        method: "POST",
        headers: { "content-type": "application/json", "x-agent-key": key },
        body: JSON.stringify({ service_id: s.services[i % s.services.length], title: "bench job" }),
      });
      const json = (await res.json()) as { id?: string };
      if (!res.ok || !json.id) throw new Error(`hire answered ${res.status}: ${JSON.stringify(json).slice(0, 200)}`);
      return json.id;
    }),
  );
}

interface Run {
  lock: LockMode;
  route: Route;
  connections: number;
  load: LoadResult;
  activity: ActivityReport;
}

function figures(runs: Run[]): Figure[] {
  const out: Figure[] = [];
  for (const r of runs) {
    const label = `${r.route === "hire" ? "POST /api/jobs" : "POST /api/jobs/{id}/messages"} c=${r.connections} lock ${r.lock}`;
    const p95 = round(percentile(r.load.latencies, 95));
    const broken = r.load.errors + r.load.non2xx > 0 ? `${r.load.errors} errors, ${r.load.non2xx} non-2xx; ` : "";
    const a = r.activity;
    const states = Object.entries(a.states)
      .slice(0, 4)
      .map(([k, v]) => `${k} ${Math.round(v * 100)}%`)
      .join(", ");
    out.push(
      {
        name: `${label} req/s`,
        value: r.load.rps,
        unit: "req/s",
        target: `>= ${TARGET_RPS}`,
        met: r.load.rps >= TARGET_RPS && !broken,
        // Requests per CPU-second of node: the machine's other work changes the CPU node gets from run to run.
        note: `${broken}cpu node ${a.nodeCpu} pg ${a.pgCpu} (${a.nodeCpu > 0 ? round(r.load.rps / a.nodeCpu, 0) : "n/a"} req per node CPU-s); ${round(a.commits / Math.max(1, r.load.requests), 1)} commits/req`,
      },
      { name: `${label} p50`, value: r.load.p50_ms, unit: "ms" },
      {
        name: `${label} p95`,
        value: p95,
        unit: "ms",
        target: `< ${TARGET_P95_MS}`,
        met: p95 < TARGET_P95_MS && !broken,
        note: `backends: ${states}`,
      },
      {
        name: `${label} p99`,
        value: r.load.p99_ms,
        unit: "ms",
        note: `top: ${a.topStatements
          .slice(0, 3)
          .map(([q, v]) => `${Math.round(v * 100)}% ${q}`)
          .join(" | ")}`,
      },
    );
  }
  return out;
}

export const bench: BenchModule = {
  name: "writes",
  description: `POST /api/jobs and POST /api/jobs/{id}/messages at ${LEVELS.join("/")} connections, event-log lock exclusive/shared/off`,
  async run(ctx: BenchContext): Promise<Figure[]> {
    ctx.log(`seeding ${CLIENTS} funded client agents with keys, ${WORKERS} workers with a priced service`);
    const seeded = await seed(ctx.db.pool);
    const appEnv = {
      RATE_LIMIT_HIRES_PER_MIN: "100000000",
      RATE_LIMIT_MESSAGES_PER_MIN: "100000000",
      // The background workers are not what is measured.
      DEPLOY_CONTROLLER: "false",
      EXECUTE_WORKER: "false",
    };
    const durationMs = Number(process.env.BENCH_WRITES_MS ?? 4_000);
    const runs: Run[] = [];
    let jobs: string[] = [];
    // The former global lock held to commit, the shared lock the app takes, and none (an upper bound only: without
    // a lock readers are not safe). One server per mode, one after the other: compare them within a run.
    const order = (process.env.BENCH_WRITES_ORDER ?? "exclusive,shared,off").split(",") as LockMode[];
    for (const lock of order) {
      const server = await ctx.startServer({ ...appEnv, BENCH_EVENT_LOCK: lock });
      try {
        if (!jobs.length) jobs = await hireOnePerClient(server, seeded);
        ctx.log(`lock ${lock}: warming up`);
        await loadOf(server, seeded, jobs, "hire", 8, 1_500);
        await loadOf(server, seeded, jobs, "message", 8, 1_500);
        for (const connections of LEVELS) {
          for (const route of ["hire", "message"] as const) {
            const { result, report } = await sampleActivity(ctx.db.pool, ctx.db.name, server.pid, () =>
              loadOf(server, seeded, jobs, route, connections, durationMs),
            );
            ctx.log(
              `lock ${lock} ${route} c=${connections}: ${result.rps} req/s p50 ${result.p50_ms} p95 ${round(percentile(result.latencies, 95))} p99 ${result.p99_ms} ms; ${JSON.stringify(report)}`,
            );
            runs.push({ lock, route, connections, load: result, activity: report });
          }
        }
      } finally {
        await server.stop();
      }
    }
    return figures(runs);
  },
};
