/**
 * Metrics query benchmark: GET /api/agents/{id}/metrics over 30 days at 1m granularity (43,200 minute rows and
 * the 5-minute, hour and day rows of one agent, every minute with calls): p50 and p95 of BENCH_METRICS_RUNS (10) runs of the query
 * (agentMetricsJson in lib/metrics/agent-metrics.ts: the answer's JSON text, as the route sends it) after 2 warm-ups; target: p95 < 200 ms (the API's p95 aim). Context figures: the
 * route handler in-process (auth, the query and a JSON body of about 15.6 MB), and 30 days at 5m (the 5-minute
 * rows). The tables are vacuumed and analyzed after the bulk insert, as autovacuum would have done over the month
 * the rows stand for: without statistics the planner takes 43,200 rows for a few hundred.
 *
 * It runs on PostgreSQL (the bench database under `npm run bench`; standalone DATABASE_URL or a fresh local
 * database) and on PGlite, each in a child process of its own (a process has one app database).
 */
import { generateApiKey } from "@/lib/auth/api-keys";
import { openInProcessDatabase } from "./lib/database";
import { figuresFromChild, isMain, printFigures, printFiguresForParent, runStandalone } from "./lib/standalone";
import { percentile, round } from "./lib/stats";
import type { BenchContext, BenchModule, Figure } from "./lib/types";

const RUNS = Number(process.env.BENCH_METRICS_RUNS ?? 10);
const WARMUP = 2;
const DAYS = 30;
const TARGET_P95_MS = 200;

/** Fills 30 days of minute rows ending at the last whole hour, and the 5-minute, hour and day rows that sum them. */
async function seedRollups(
  exec: (q: string, params?: unknown[]) => Promise<unknown>,
  agentId: string,
  versionId: string,
) {
  const end = Math.floor(Date.now() / 3_600_000) * 3_600_000;
  const start = end - DAYS * 86_400_000;
  // A histogram per row that varies with the minute: ~40 calls between 2 and 300 ms.
  await exec(
    `INSERT INTO call_rollups (agent_id, environment, version_id, bucket_start, calls, errors, timeouts,
       latency_sum_ms, hist, p50_ms, p95_ms, p99_ms, resource_samples, cpu_utilization_sum, memory_utilization_sum,
       memory_bytes_max, disk_bytes_max)
     SELECT $1, 'prod', $2, t, 40, (m % 3), (m % 7 = 0)::int, 40 * (20 + m % 30),
       ARRAY(SELECT CASE WHEN i BETWEEN 7 + m % 5 AND 30 + m % 20 THEN 1 + (i + m) % 3 ELSE 0 END
             FROM generate_series(0, 119) i),
       20 + m % 30, 120 + m % 50, 250 + m % 40, 4, 4 * 0.3, 4 * 0.5, 50000000, 4096
     FROM generate_series($3::timestamptz, $4::timestamptz - interval '1 minute', interval '1 minute') t,
       LATERAL (SELECT (extract(epoch from t) / 60)::int AS m) x`,
    [agentId, versionId, new Date(start).toISOString(), new Date(end).toISOString()],
  );
  // The coarser rows, each from the next finer one, as the recorder's flush would have written them: counts summed,
  // histograms added bucket by bucket (hist_sum), percentiles read from the sum.
  for (const [table, source, span] of [
    ["call_rollups_5m", "call_rollups", "5 minutes"],
    ["call_rollups_hourly", "call_rollups_5m", "1 hour"],
    ["call_rollups_daily", "call_rollups_hourly", "1 day"],
  ] as const) {
    await exec(
      `INSERT INTO ${table} (agent_id, environment, version_id, bucket_start, calls, errors, timeouts,
         latency_sum_ms, hist, p50_ms, p95_ms, p99_ms, resource_samples, cpu_utilization_sum, memory_utilization_sum,
         memory_bytes_max, disk_bytes_max)
       SELECT agent_id, environment, version_id, b, calls, errors, timeouts, latency_sum_ms, h, hist_quantile(h, 0.5),
         hist_quantile(h, 0.95), hist_quantile(h, 0.99), resource_samples, cpu, memory, memory_max, disk_max
       FROM (SELECT agent_id, environment, version_id, date_bin('${span}', bucket_start, 'epoch') AS b,
           sum(calls) AS calls, sum(errors) AS errors, sum(timeouts) AS timeouts, sum(latency_sum_ms) AS latency_sum_ms,
           hist_sum(hist) AS h, sum(resource_samples) AS resource_samples, sum(cpu_utilization_sum) AS cpu,
           sum(memory_utilization_sum) AS memory, max(memory_bytes_max) AS memory_max, max(disk_bytes_max) AS disk_max
         FROM ${source} WHERE agent_id = $1 GROUP BY 1, 2, 3, 4) g`,
      [agentId],
    );
  }
  // VACUUM as well as ANALYZE: autovacuum's insert threshold would have vacuumed these append-mostly tables many
  // times over the month, which sets the visibility map the covering indexes' index-only scans rely on.
  for (const table of ["call_rollups", "call_rollups_5m", "call_rollups_hourly", "call_rollups_daily"]) {
    await exec(`VACUUM ANALYZE ${table}`);
  }
  return { start, end };
}

/** In this process: seeds one agent, then times the route handler. */
async function measure(log: (l: string) => void, driver: "pg" | "pglite"): Promise<Figure[]> {
  const opened =
    driver === "pglite"
      ? await (async () => {
          const { createDatabase, setDatabase } = await import("@/db/client");
          const database = await createDatabase({ pgliteDir: "memory://" });
          setDatabase(database);
          return { database, close: async () => (setDatabase(undefined), await database.close()) };
        })()
      : await openInProcessDatabase(log, false);
  const { GET } = await import("@/app/api/agents/[id]/metrics/route");
  const { agentMetricsJson } = await import("@/lib/metrics/agent-metrics");
  const { METRIC_NAMES } = await import("@/lib/metrics/series");
  const { sql } = await import("drizzle-orm");
  const db = opened.database.db;
  const exec = async (q: string, params: unknown[] = []) => {
    // Positional parameters through drizzle's sql: split the text at $n and interleave the values.
    const parts = q.split(/\$(\d+)/);
    const chunks = [];
    for (let i = 0; i < parts.length; i++)
      chunks.push(i % 2 ? sql`${params[Number(parts[i]) - 1]}` : sql.raw(parts[i]!));
    return db.execute(sql.join(chunks));
  };
  try {
    const k = generateApiKey();
    const agent = (await exec(
      `INSERT INTO agents (name, description) VALUES ('metrics-bench', 'bench') RETURNING id`,
    )) as {
      rows: { id: string }[];
    };
    const agentId = agent.rows[0]!.id;
    await exec(`INSERT INTO api_keys (agent_id, key_hash, suffix, scopes) VALUES ($1, $2, $3, '{agent:monitor}')`, [
      agentId,
      k.hash,
      k.suffix,
    ]);
    const version = (await exec(
      `INSERT INTO agent_versions (agent_id, version, source, artifact, entrypoint, configuration, code_digest)
       VALUES ($1, '1.0.0', 'artifact', 'text-stats', 'server.mjs', '{"memory_limit":128,"timeout":30,"concurrent_executions":10}', 'bench')
       RETURNING id`,
      [agentId],
    )) as { rows: { id: string }[] };
    const t0 = performance.now();
    const { start, end } = await seedRollups(exec, agentId, version.rows[0]!.id);
    log(
      `${driver}: seeded ${DAYS} days of minute, 5-minute, hour and day rows in ${Math.round(performance.now() - t0)} ms`,
    );

    const window = { start: new Date(start).toISOString(), end: new Date(end).toISOString() };
    /** p50/p95 of RUNS calls after WARMUP; `call` returns the body it got, `points` what counts in it. */
    const time = async (call: () => Promise<string>, points: (body: string) => number) => {
      const times: number[] = [];
      let body = "";
      for (let i = 0; i < WARMUP + RUNS; i++) {
        const t = performance.now();
        body = await call();
        if (i >= WARMUP) times.push(performance.now() - t);
      }
      times.sort((a, b) => a - b);
      return { p50: round(percentile(times, 50), 1), p95: round(percentile(times, 95), 1), points: points(body) };
    };
    /** The domain verb: the answer's JSON text as the route sends it (no object per point, no stringify). */
    const query = (granularity: "1m" | "5m") => () =>
      agentMetricsJson(db, {
        agentId,
        start: new Date(start),
        end: new Date(end),
        granularity,
        select: new Set(METRIC_NAMES),
      });
    const buckets = (body: string) =>
      (JSON.parse(body) as { metrics: { execution_count: unknown[] } }).metrics.execution_count.length;
    const route = async () => {
      const url = new URL(`http://localhost/api/agents/${agentId}/metrics`);
      url.search = new URLSearchParams({
        start_time: window.start,
        end_time: window.end,
        granularity: "1m",
      }).toString();
      const res = await GET(new Request(url, { headers: { "x-agent-key": k.key } }), {
        params: Promise.resolve({ id: agentId }),
      });
      const text = await res.text();
      if (res.status !== 200) throw new Error(`metrics: HTTP ${res.status} ${text.slice(0, 500)}`);
      return text;
    };
    const minute = await time(query("1m"), buckets);
    const fiveMinutes = await time(query("5m"), buckets);
    const http = await time(route, (body) => body.length);
    return [
      {
        name: `metrics query 30 d at 1m, p95 (${driver})`,
        value: minute.p95,
        unit: "ms",
        target: `< ${TARGET_P95_MS}`,
        met: minute.p95 < TARGET_P95_MS,
        note: `${minute.points} buckets, ${RUNS} runs`,
      },
      { name: `metrics query 30 d at 1m, p50 (${driver})`, value: minute.p50, unit: "ms" },
      {
        name: `metrics route 30 d at 1m, p95 (${driver})`,
        value: http.p95,
        unit: "ms",
        note: `handler in-process with auth and a ${round(http.points / 1e6, 1)} MB JSON body`,
      },
      {
        name: `metrics query 30 d at 5m, p95 (${driver})`,
        value: fiveMinutes.p95,
        unit: "ms",
        note: `${fiveMinutes.points} buckets, from the 5-minute rows`,
      },
    ];
  } finally {
    await opened.close();
  }
}

/** Both drivers, each in a child process; PostgreSQL on `databaseUrl` (else a fresh local database). */
async function bothDrivers(databaseUrl: string | undefined): Promise<Figure[]> {
  const me = import.meta.url;
  return [
    ...(await figuresFromChild(me, ["--driver=pg"], { DATABASE_URL: databaseUrl })),
    ...(await figuresFromChild(me, ["--driver=pglite"], { DATABASE_URL: undefined })),
  ];
}

export const bench: BenchModule = {
  name: "metrics",
  description: "GET /api/agents/{id}/metrics over 30 days at 1m (p50/p95) on PostgreSQL and PGlite",
  run: (ctx: BenchContext) => bothDrivers(ctx.db.url),
};

if (isMain(import.meta.url)) {
  const driver = process.argv.find((a) => a.startsWith("--driver="))?.slice(9);
  runStandalone(async () => {
    if (driver === "pg" || driver === "pglite") {
      printFiguresForParent(await measure((l) => console.error(`[metrics] ${l}`), driver));
      return [];
    }
    const figures = await bothDrivers(process.env.DATABASE_URL);
    printFigures(figures);
    return figures;
  });
}
