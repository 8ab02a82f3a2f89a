import "server-only";
import net from "node:net";
import os from "node:os";
import { sql } from "drizzle-orm";
import type { z } from "zod";
import { getDatabase, type Db } from "@/db/client";
import type { systemHealthResponse } from "@/lib/api/contracts/metrics";
import { env } from "@/lib/env";
import { probeDatabase, withTimeout } from "@/lib/health";
import { sandboxSupport } from "@/lib/runtime/sandbox";
import { recorderHealth } from "./recorder";

/**
 * GET /api/system/health (README.md, Deployments): every component probed for real, side by side. The database decides
 * between unhealthy and the rest; any other component that fails makes the platform degraded (it still serves).
 */

export type SystemHealthJson = z.infer<typeof systemHealthResponse>;
type Components = SystemHealthJson["components"];
type Status = Components["database"]["status"];

const PROBE_TIMEOUT_MS = 2_000;
const LIVE_INSTANCES = sql.raw(`status IN ('starting', 'healthy', 'unhealthy')`);

async function rowOf<T>(db: Db, query: ReturnType<typeof sql>): Promise<T> {
  const res = (await withTimeout(db.execute(query), PROBE_TIMEOUT_MS)) as unknown as { rows: T[] };
  return res.rows[0]!;
}

async function database(): Promise<Components["database"]> {
  const probe = await probeDatabase();
  if (probe.status !== "ok")
    return { status: "unhealthy", driver: probe.driver, query_performance: null, connection_count: null };
  const sessions = await getDatabase()
    .then((d) =>
      rowOf<{ n: number }>(
        d.db,
        sql`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database()`,
      ),
    )
    .then((r) => r.n)
    .catch(() => null);
  return { status: "healthy", driver: probe.driver, query_performance: probe.latency_ms, connection_count: sessions };
}

/** The metrics recorder of this process: a failed write, or buckets waiting far past the flush interval. */
function monitoring(ingested: number | null): Components["monitoring"] {
  const r = recorderHealth();
  const sinceFlushS = r.last_flush_at ? (Date.now() - Date.parse(r.last_flush_at)) / 1000 : null;
  const lag = r.pending_buckets === 0 ? 0 : sinceFlushS;
  const stalled = lag !== null && lag > (5 * env().METRICS_FLUSH_MS) / 1000;
  return {
    status: r.last_error || stalled ? "degraded" : "healthy",
    metrics_lag: lag === null ? null : Math.round(lag * 10) / 10,
    log_ingestion_rate: ingested === null ? null : Math.round((ingested / 300) * 1000) / 1000,
    pending_buckets: r.pending_buckets,
    last_flush_at: r.last_flush_at,
    last_error: r.last_error,
  };
}

/** pg-boss, when its schema is there: its version and the jobs waiting. */
async function queue(): Promise<Components["queue"]> {
  try {
    const d = await getDatabase();
    const present = await rowOf<{ ok: boolean }>(d.db, sql`SELECT to_regclass('pgboss.version') IS NOT NULL AS ok`);
    if (!present.ok) return { status: "not_configured", schema_version: null, queued_jobs: null };
    const v = await rowOf<{ version: string }>(d.db, sql`SELECT version::text AS version FROM pgboss.version LIMIT 1`);
    const queued = await rowOf<{ n: number }>(
      d.db,
      sql`SELECT count(*)::int AS n FROM pgboss.job WHERE state IN ('created', 'retry')`,
    ).catch(() => null);
    return { status: "healthy", schema_version: v?.version ?? null, queued_jobs: queued?.n ?? null };
  } catch {
    return { status: "unhealthy", schema_version: null, queued_jobs: null };
  }
}

/** The AgentCore data plane the app would call: can a connection be opened to it? */
async function agentcore(): Promise<Components["agentcore_service"]> {
  const e = env();
  const endpoint =
    e.AWS_ENDPOINT_URL_BEDROCK_AGENTCORE ??
    (e.AWS_REGION ? `https://bedrock-agentcore.${e.AWS_REGION}.amazonaws.com` : undefined);
  const last_check = new Date().toISOString();
  if (!endpoint) return { status: "not_configured", response_time: null, last_check, message: null };
  const url = new URL(endpoint);
  const port = Number(url.port || (url.protocol === "https:" ? 443 : 80));
  const t0 = performance.now();
  try {
    await connect(url.hostname, port);
    return {
      status: "healthy",
      response_time: Math.round((performance.now() - t0) * 100) / 100,
      last_check,
      message: null,
    };
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
    return { status: "unhealthy", response_time: null, last_check, message: `${url.host} unreachable (${code})` };
  }
}

function connect(host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host, port });
    socket.setTimeout(PROBE_TIMEOUT_MS, () =>
      socket.destroy(Object.assign(new Error("timeout"), { code: "ETIMEDOUT" })),
    );
    socket.once("connect", () => (socket.end(), resolve()));
    socket.once("error", reject);
  });
}

interface Counts {
  agents: number;
  live: number;
  last_minute: number;
  last_5_minutes: number;
  instances: number;
  local_instances: number;
}

async function counts(): Promise<Counts | null> {
  try {
    const d = await getDatabase();
    return await rowOf<Counts>(
      d.db,
      sql`SELECT
        (SELECT count(*)::int FROM agents WHERE status <> 'retired') AS agents,
        (SELECT count(DISTINCT agent_id)::int FROM agent_routes WHERE live_version_id IS NOT NULL) AS live,
        (SELECT coalesce(sum(calls), 0)::int FROM call_rollups
          WHERE bucket_start = date_trunc('minute', now()) - interval '1 minute') AS last_minute,
        (SELECT coalesce(sum(calls), 0)::int FROM call_rollups
          WHERE bucket_start >= date_trunc('minute', now()) - interval '5 minutes'
            AND bucket_start < date_trunc('minute', now())) AS last_5_minutes,
        (SELECT count(*)::int FROM deployment_instances WHERE ${LIVE_INSTANCES}) AS instances,
        (SELECT count(*)::int FROM deployment_instances WHERE ${LIVE_INSTANCES} AND host = 'local') AS local_instances`,
    );
  } catch {
    return null;
  }
}

/** The connection pool of the app's database (node-postgres and Neon pools count; PGlite is one connection). */
async function pool(): Promise<SystemHealthJson["capacity"]["database_pool"]> {
  const d = await getDatabase().catch(() => null);
  const client = (
    d?.db as { $client?: { totalCount?: unknown; idleCount?: number; waitingCount?: number } } | undefined
  )?.$client;
  if (d?.driver === "pglite" || typeof client?.totalCount !== "number") {
    return { max: d?.driver === "pglite" ? 1 : env().DATABASE_POOL_MAX, total: null, idle: null, waiting: null };
  }
  return {
    max: env().DATABASE_POOL_MAX,
    total: client.totalCount,
    idle: client.idleCount ?? null,
    waiting: client.waitingCount ?? null,
  };
}

const WORST: Status[] = ["unhealthy", "degraded"];

export async function systemHealth(): Promise<SystemHealthJson> {
  const [db, q, ac, c, p] = await Promise.all([database(), queue(), agentcore(), counts(), pool()]);
  const support = sandboxSupport();
  const components: Components = {
    database: db,
    monitoring: monitoring(c?.last_5_minutes ?? null),
    queue: q,
    agentcore_service: ac,
    sandbox: {
      status: support.available ? "healthy" : "unhealthy",
      available: support.available,
      cgroups: support.cgroups,
      message: support.reason,
    },
  };
  const others = Object.values(components).filter((x) => x !== db);
  const overall =
    db.status === "unhealthy" ? "unhealthy" : others.some((x) => WORST.includes(x.status)) ? "degraded" : "healthy";
  const limit = env().DEPLOY_LOCAL_MAX_INSTANCES;
  const cpus = os.cpus().length || 1;
  return {
    overall_status: overall,
    timestamp: new Date().toISOString(),
    components,
    capacity: {
      total_agents: c?.agents ?? null,
      active_agents: c?.live ?? null,
      total_executions_per_minute: c?.last_minute ?? null,
      resource_utilization: {
        cpu: Math.min(1, Math.round((os.loadavg()[0]! / cpus) * 1000) / 1000),
        memory: Math.round((1 - os.freemem() / os.totalmem()) * 1000) / 1000,
        network: null,
      },
      instances: { running: c?.instances ?? null, local_running: c?.local_instances ?? null, local_limit: limit },
      sandboxes_available: !support.available ? 0 : c ? Math.max(0, limit - c.local_instances) : null,
      database_pool: p,
    },
  };
}
