import type pg from "pg";
import { mergeLoads, runLoad, type LoadResult } from "./lib/load";
import { round } from "./lib/stats";
import type { BenchContext, BenchModule, Figure } from "./lib/types";

const AGENTS = 200;
const SERVICES = 10_000;
const TARGET_RATIO = 0.7;

const ADJECTIVES = [
  "fast",
  "careful",
  "expert",
  "friendly",
  "precise",
  "bulk",
  "premium",
  "budget",
  "overnight",
  "detailed",
  "concise",
  "creative",
  "robust",
  "secure",
  "scalable",
];
const DOMAINS = [
  "python",
  "translation",
  "marketing",
  "legal",
  "design",
  "analytics",
  "kubernetes",
  "research",
  "copywriting",
  "finance",
  "security",
  "seo",
  "testing",
  "react",
  "postgres",
  "summaries",
  "podcasts",
  "genomics",
  "logistics",
  "tutoring",
];
const NOUNS = [
  "review",
  "audit",
  "report",
  "pipeline",
  "plan",
  "draft",
  "migration",
  "dashboard",
  "summary",
  "consulting",
  "refactor",
  "campaign",
  "proofreading",
  "forecast",
  "checklist",
];
const FILLER = [
  "with",
  "clear",
  "notes",
  "delivered",
  "in",
  "hours",
  "by",
  "an",
  "agent",
  "that",
  "knows",
  "the",
  "field",
  "and",
  "cites",
  "sources",
  "for",
  "teams",
  "small",
  "large",
  "any",
  "format",
  "including",
  "examples",
  "tests",
  "charts",
];
const CATEGORIES = ["coding", "writing", "data", "design", "research", "ops"];

/** Deterministic pseudo-random numbers, so that every run seeds the same market. */
function rng(seed: number) {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s ^ (s >>> 15), 2246822507) + 0x9e3779b9) >>> 0) / 2 ** 32;
}

const pick = <T>(r: () => number, list: readonly T[]): T => list[Math.floor(r() * list.length)]!;

/** 200 agents and 10,000 services with varied names and descriptions, by direct inserts. Returns agent ids. */
export async function seedMarket(pool: pg.Pool): Promise<string[]> {
  const r = rng(42);
  const names: string[] = [];
  const descriptions: string[] = [];
  const categories: string[] = [];
  for (let i = 0; i < AGENTS; i++) {
    const d = pick(r, DOMAINS);
    names.push(`${pick(r, ADJECTIVES)}-${d}-agent-${i}`);
    descriptions.push(
      `An agent for ${d} ${pick(r, NOUNS)} work, ${Array.from({ length: 8 }, () => pick(r, FILLER)).join(" ")}`,
    );
    categories.push(pick(r, CATEGORIES));
  }
  const agents = await pool.query<{ id: string }>(
    `INSERT INTO agents (name, description, category, capabilities, reputation, rating_count, jobs_completed)
     SELECT n, d, c, ARRAY[c], (random() * 5)::float8, (random() * 40)::int, (random() * 100)::int
     FROM unnest($1::text[], $2::text[], $3::text[]) AS t(n, d, c) RETURNING id`,
    [names, descriptions, categories],
  );
  const ids = agents.rows.map((row) => row.id);
  for (let start = 0; start < SERVICES; start += 2_000) {
    const agentIds: string[] = [];
    const sNames: string[] = [];
    const sDescs: string[] = [];
    const prices: number[] = [];
    for (let i = start; i < Math.min(SERVICES, start + 2_000); i++) {
      const domain = pick(r, DOMAINS);
      agentIds.push(ids[i % ids.length]!);
      sNames.push(`${pick(r, ADJECTIVES)} ${domain} ${pick(r, NOUNS)} ${i}`);
      sDescs.push(
        `${pick(r, NOUNS)} of ${domain} ${Array.from({ length: 10 + Math.floor(r() * 10) }, () => pick(r, r() < 0.2 ? DOMAINS : FILLER)).join(" ")}`,
      );
      prices.push(Math.round((1 + r() * 499) * 100));
    }
    await pool.query(
      `INSERT INTO services (agent_id, name, description, price_cents, capabilities_required)
       SELECT a, n, d, p, '{}'::text[] FROM unnest($1::uuid[], $2::text[], $3::text[], $4::bigint[]) AS t(a, n, d, p)`,
      [agentIds, sNames, sDescs, prices],
    );
  }
  await pool.query("ANALYZE agents; ANALYZE services;");
  return ids;
}

function loadFigures(label: string, res: LoadResult, base: LoadResult): Figure[] {
  const ratio = base.rps > 0 ? round(res.rps / base.rps, 3) : null;
  const broken =
    res.errors + res.non2xx > 0 ? `${res.errors} errors, ${res.non2xx} non-2xx of ${res.requests}` : undefined;
  return [
    { name: `${label} req/s`, value: res.rps, unit: "req/s", note: broken },
    { name: `${label} p50`, value: res.p50_ms, unit: "ms" },
    { name: `${label} p99`, value: res.p99_ms, unit: "ms" },
    {
      name: `${label} / constant (req/s ratio)`,
      value: ratio,
      unit: "x",
      target: `>= ${TARGET_RATIO}`,
      met: ratio !== null && ratio >= TARGET_RATIO && !broken,
    },
  ];
}

export const bench: BenchModule = {
  name: "market",
  description:
    "GET /api/services?q= and GET /api/agents/{id} against a constant-JSON route (64 keep-alive connections)",
  async run(ctx: BenchContext): Promise<Figure[]> {
    ctx.log(`seeding ${AGENTS} agents and ${SERVICES} services`);
    const agentIds = await seedMarket(ctx.db.pool);
    const server = await ctx.startServer();
    try {
      const durationMs = Math.max(3_000, Math.min(8_000, ((ctx.secondsLeft() - 120) * 1000) / 4));
      const words = DOMAINS;
      const routes = {
        constant: (_i: number) => `${server.url}/api/bench/constant`,
        services: (i: number) => `${server.url}/api/services?q=${words[i % words.length]}&limit=20`,
        agent: (i: number) => `${server.url}/api/agents/${agentIds[i % agentIds.length]}`,
      };
      // Sanity: each route answers 200 before we time it.
      for (const [name, url] of Object.entries(routes)) {
        const res = await fetch(url(0));
        if (!res.ok) throw new Error(`${name}: ${url(0)} answered ${res.status}: ${(await res.text()).slice(0, 200)}`);
      }
      ctx.log("warming up (JIT, connection pools)");
      for (const url of Object.values(routes)) await runLoad({ url, durationMs: 1_500 });
      // Interleaved slices rather than one long run per route: other work on the machine comes and goes,
      // and the ratio must compare the routes under the same conditions.
      const slices = 4;
      ctx.log(`load: ${slices} rounds of ${durationMs / slices / 1000} s per route, interleaved`);
      const parts: Record<string, LoadResult[]> = { constant: [], services: [], agent: [] };
      for (let i = 0; i < slices; i++) {
        for (const [name, url] of Object.entries(routes)) {
          parts[name]!.push(await runLoad({ url, durationMs: durationMs / slices, connections: 64 }));
        }
      }
      const results = Object.fromEntries(Object.entries(parts).map(([k, v]) => [k, mergeLoads(v)]));
      const base = results.constant!;
      return [
        { name: "constant JSON req/s", value: base.rps, unit: "req/s" },
        { name: "constant JSON p50", value: base.p50_ms, unit: "ms" },
        { name: "constant JSON p99", value: base.p99_ms, unit: "ms" },
        ...loadFigures("GET /api/services?q=<word>&limit=20", results.services!, base),
        ...loadFigures("GET /api/agents/{id}", results.agent!, base),
      ];
    } finally {
      await server.stop();
    }
  },
};
