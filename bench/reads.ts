import type pg from "pg";
import { generateApiKey } from "@/lib/auth/api-keys";
import type { AppServer } from "./lib/app";
import { mergeLoads, runLoad, type LoadOptions, type LoadResult } from "./lib/load";
import { round } from "./lib/stats";
import type { BenchContext, BenchModule, Figure } from "./lib/types";

/**
 * Authenticated reads: GET /api/jobs/{id} and GET /api/jobs with API keys, 32 connections, as ratios to
 * the constant-JSON route; then the same job-detail load round-robin across two app processes on one database
 * against all of it on one.
 */

const CLIENTS = 8;
const WORKERS = 4;
const JOBS_PER_CLIENT = 60;
const CONNECTIONS = 32;
const TARGET_RATIO = 0.5;
const TARGET_P99_MS = 200;

interface Caller {
  key: string;
  jobIds: string[];
  /** A second key, allowed to write (the writer of the "under writes" figure uses the first caller's). */
  writeKey: string;
}

/** Messages written per second during the "under writes" figure: every one moves the data version. */
const WRITES_PER_S = 20;

/** 8 client agents with a key each, 4 workers with a service each, 60 jobs per client with deliverables and messages. */
async function seedJobs(pool: pg.Pool): Promise<Caller[]> {
  const agents = await pool.query<{ id: string }>(
    `INSERT INTO agents (name, description)
     SELECT 'reads-bench-' || i, 'reads bench agent ' || i FROM generate_series(1, $1::int) AS i RETURNING id`,
    [CLIENTS + WORKERS],
  );
  const ids = agents.rows.map((r) => r.id);
  const workers = ids.slice(CLIENTS);
  const services = await pool.query<{ id: string; agent_id: string }>(
    `INSERT INTO services (agent_id, name, description, price_cents, capabilities_required)
     SELECT a, 'reads bench service', 'a service to hire', 500, '{}'::text[] FROM unnest($1::uuid[]) AS a
     RETURNING id, agent_id`,
    [workers],
  );
  const callers: Caller[] = [];
  for (const [c, clientId] of ids.slice(0, CLIENTS).entries()) {
    const k = generateApiKey();
    const w = generateApiKey();
    await pool.query(
      "INSERT INTO api_keys (agent_id, key_hash, suffix, scopes) VALUES ($1, $2, $3, $4), ($1, $5, $6, $7)",
      [clientId, k.hash, k.suffix, ["jobs:read"], w.hash, w.suffix, ["inbox:write"]],
    );
    const svc = Array.from({ length: JOBS_PER_CLIENT }, (_, j) => services.rows[(c + j) % WORKERS]!);
    // Every third job delivered (with a deliverable), the rest in progress; each with two messages.
    const jobs = await pool.query<{ id: string }>(
      `INSERT INTO jobs (service_id, worker_agent_id, client_agent_id, title, input_data, price_cents, status,
                         started_at, delivered_at, created_at)
       SELECT s, w, $3, 'reads bench job ' || n, '{"text":"summarise this"}'::jsonb, 500,
              (CASE WHEN n % 3 = 0 THEN 'delivered' ELSE 'in_progress' END)::job_status,
              now(), CASE WHEN n % 3 = 0 THEN now() END, now() - n * interval '1 minute'
       FROM unnest($1::uuid[], $2::uuid[]) WITH ORDINALITY AS t(s, w, n) RETURNING id`,
      [svc.map((s) => s.id), svc.map((s) => s.agent_id), clientId],
    );
    const jobIds = jobs.rows.map((r) => r.id);
    await pool.query(
      `INSERT INTO deliverables (job_id, revision, content)
       SELECT j, 1, repeat('the delivered work ', 40) FROM unnest($1::uuid[]) WITH ORDINALITY AS t(j, n) WHERE n % 3 = 0`,
      [jobIds],
    );
    await pool.query(
      `INSERT INTO messages (job_id, recipient_agent_id, sender_agent_id, kind, subject, body)
       SELECT j.id, j.worker_agent_id, j.client_agent_id, 'direct', 'about the job', 'a note ' || m
       FROM jobs j, generate_series(1, 2) AS m WHERE j.id = ANY($1::uuid[])`,
      [jobIds],
    );
    callers.push({ key: k.key, jobIds, writeKey: w.key });
  }
  await pool.query("ANALYZE jobs; ANALYZE deliverables; ANALYZE messages; ANALYZE api_keys;");
  return callers;
}

type Route = Pick<LoadOptions, "url" | "headers">;

function routesOn(bases: string[], callers: Caller[]): Record<"constant" | "detail" | "list", Route> {
  // Request i goes to server i mod n (round-robin when there are two) as caller i mod CLIENTS.
  const base = (i: number) => bases[i % bases.length]!;
  const caller = (i: number) => callers[i % callers.length]!;
  const headers = (i: number) => ({ "x-agent-key": caller(i).key });
  return {
    constant: { url: (i) => `${base(i)}/api/bench/constant` },
    detail: {
      url: (i) => {
        const ids = caller(i).jobIds;
        return `${base(i)}/api/jobs/${ids[Math.floor(i / callers.length) % ids.length]}`;
      },
      headers,
    },
    list: { url: (i) => `${base(i)}/api/jobs?limit=20`, headers },
  };
}

/** Interleaved slices of each load (other work on the machine comes and goes), merged per name. */
async function interleaved(loads: Record<string, Route>, durationMs: number): Promise<Record<string, LoadResult>> {
  const slices = 4;
  const parts: Record<string, LoadResult[]> = Object.fromEntries(Object.keys(loads).map((k) => [k, []]));
  for (let s = 0; s < slices; s++) {
    for (const [name, route] of Object.entries(loads))
      parts[name]!.push(await runLoad({ ...route, durationMs: durationMs / slices, connections: CONNECTIONS }));
  }
  return Object.fromEntries(Object.entries(parts).map(([k, v]) => [k, mergeLoads(v)]));
}

const broken = (r: LoadResult) =>
  r.errors + r.non2xx > 0 ? `${r.errors} errors, ${r.non2xx} non-2xx of ${r.requests}` : undefined;

/** req/s, p50 and p99 of a load; with `p99Under`, the p99 carries that aim. */
function loadFigures(label: string, res: LoadResult, p99Under?: number): Figure[] {
  const note = broken(res);
  const p99: Figure = { name: `${label} p99`, value: res.p99_ms, unit: "ms" };
  if (p99Under !== undefined) Object.assign(p99, { target: `< ${p99Under}`, met: res.p99_ms < p99Under && !note });
  return [
    { name: `${label} req/s`, value: res.rps, unit: "req/s", note },
    { name: `${label} p50`, value: res.p50_ms, unit: "ms" },
    p99,
  ];
}

function readFigures(label: string, res: LoadResult, base: LoadResult): Figure[] {
  const ratio = base.rps > 0 ? round(res.rps / base.rps, 3) : null;
  return [
    ...loadFigures(label, res, TARGET_P99_MS),
    {
      name: `${label} / constant (req/s ratio)`,
      value: ratio,
      unit: "x",
      target: `>= ${TARGET_RATIO}`,
      met: ratio !== null && ratio >= TARGET_RATIO && !broken(res),
    },
  ];
}

/** Writer lanes: a write can take long on a busy machine, so several post side by side to hold the rate. */
const WRITE_LANES = 4;

/**
 * Posts messages on the caller's jobs, WRITES_PER_S a second in all (WRITE_LANES lanes, each on its own job), until
 * `stop` resolves; returns how many were accepted and the first refusal.
 */
async function writeLoop(
  base: string,
  caller: Caller,
  stop: Promise<unknown>,
): Promise<{ ok: number; refused: string | null }> {
  let done = false;
  void stop.finally(() => (done = true));
  let ok = 0;
  let refused: string | null = null;
  const started = performance.now();
  const lane = async (l: number) => {
    for (let n = 0; !done; n++) {
      const res = await fetch(`${base}/api/jobs/${caller.jobIds[l]}/messages`, {
        method: "POST",
        headers: { "x-agent-key": caller.writeKey, "content-type": "application/json" },
        body: JSON.stringify({ body: `write ${l}.${n}` }),
      });
      if (res.ok) ok++;
      else refused ??= `${res.status} ${(await res.text()).slice(0, 120)}`;
      if (!res.bodyUsed) await res.arrayBuffer();
      const next = started + ((n + 1) * 1000 * WRITE_LANES) / WRITES_PER_S;
      await new Promise((r) => setTimeout(r, Math.max(0, next - performance.now())));
    }
  };
  await Promise.all(Array.from({ length: WRITE_LANES }, (_, l) => lane(l)));
  return { ok, refused };
}

async function check(route: Route, name: string): Promise<void> {
  const res = await fetch(route.url(0, 0), { headers: route.headers?.(0, 0) });
  if (!res.ok)
    throw new Error(`${name}: ${route.url(0, 0)} answered ${res.status}: ${(await res.text()).slice(0, 200)}`);
}

export const bench: BenchModule = {
  name: "reads",
  description: `GET /api/jobs/{id} and GET /api/jobs with API keys (${CONNECTIONS} connections) against the constant route; two processes against one`,
  async run(ctx: BenchContext): Promise<Figure[]> {
    ctx.log(`seeding ${CLIENTS} clients with ${JOBS_PER_CLIENT} jobs each`);
    const callers = await seedJobs(ctx.db.pool);
    const servers: AppServer[] = [];
    try {
      // Two processes on the one database (the second one serves only the round-robin figure).
      // Both share the run's SECRETS_KEY (bench/lib/app.ts), as every instance of one app would.
      const env = { RATE_LIMIT_MESSAGES_PER_MIN: "1000000" };
      servers.push(await ctx.startServer(env), await ctx.startServer(env));
      const [a, b] = servers.map((s) => s.url) as [string, string];
      const one = routesOn([a], callers);
      for (const [name, route] of Object.entries(one)) await check(route, name);
      await check(routesOn([b], callers).detail, "detail on the second process");
      const durationMs = Math.max(3_000, Math.min(8_000, ((ctx.secondsLeft() - 60) * 1000) / 6));
      ctx.log("warming up (JIT, pools, caches)");
      for (const route of Object.values(one)) await runLoad({ ...route, durationMs: 1_000 });
      await runLoad({ ...routesOn([b], callers).detail, durationMs: 1_000 });

      ctx.log(`load: ${durationMs / 1000} s per route in 4 interleaved slices, ${CONNECTIONS} connections`);
      const r = await interleaved(one, durationMs);
      const base = r.constant!;

      ctx.log(`GET /api/jobs/{id} while ${WRITES_PER_S} messages/s are written (each write moves the data version)`);
      const load = runLoad({ ...one.detail, durationMs, connections: CONNECTIONS });
      const [underWrites, writes] = await Promise.all([load, writeLoop(a, callers[0]!, load)]);

      ctx.log("two processes against one: GET /api/jobs/{id}, the same load");
      const two = await interleaved({ one: one.detail, two: routesOn([a, b], callers).detail }, durationMs);
      const gain = two.one!.rps > 0 ? round(two.two!.rps / two.one!.rps, 3) : null;
      return [
        ...loadFigures(`constant JSON, ${CONNECTIONS} connections`, base),
        ...readFigures("GET /api/jobs/{id} (API key)", r.detail!, base),
        ...readFigures("GET /api/jobs?limit=20 (API key)", r.list!, base),
        ...loadFigures(`GET /api/jobs/{id} under writes (up to ${WRITES_PER_S}/s)`, underWrites),
        {
          name: `GET /api/jobs/{id} under writes / constant (req/s ratio)`,
          value: base.rps > 0 ? round(underWrites.rps / base.rps, 3) : null,
          unit: "x",
          note:
            `${round(writes.ok / (underWrites.seconds || 1), 1)} writes/s done; a write empties the cache` +
            (writes.refused ? `; a write was refused: ${writes.refused}` : ""),
        },
        { name: "GET /api/jobs/{id}, one process req/s", value: two.one!.rps, unit: "req/s", note: broken(two.one!) },
        {
          name: "GET /api/jobs/{id}, two processes round-robin req/s",
          value: two.two!.rps,
          unit: "req/s",
          note: broken(two.two!) ?? `p50 ${two.two!.p50_ms} ms, p99 ${two.two!.p99_ms} ms`,
        },
        {
          name: "two processes / one (req/s ratio)",
          value: gain,
          unit: "x",
          note: "same load, same machine: with 2 cores shared with the load generator, little gain is expected",
        },
      ];
    } finally {
      await Promise.all(servers.map((s) => s.stop()));
    }
  },
};
