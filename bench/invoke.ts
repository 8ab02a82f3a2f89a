/**
 * Invocation relay benchmark: time to first chunk and total time of a streamed answer through
 * `POST /api/agents/invoke` (Accept: text/event-stream) versus the AgentCore client talking to the same local
 * AgentCore endpoint directly, interleaved in one run; the relay should add under 5 ms at the median. Then 100
 * concurrent streamed invocations through the relay must all complete.
 *
 * - Under `npm run bench` (module `bench`): the relay is `npm start` (server.ts) of the built copy, over real HTTP.
 * - Standalone (`tsx bench/invoke.ts`, exported `run()`): the route handler is called in-process (no HTTP hop),
 *   on DATABASE_URL when set, else on a fresh database of the local PostgreSQL (dropped after), else on embedded
 *   PGlite (BENCH_INVOKE_DB=pglite forces it; PGlite shares the event loop and inflates the relay's figures).
 *   It re-executes itself with `--conditions=react-server` so that the app's `server-only` modules load.
 */
import { generateApiKey } from "@/lib/auth/api-keys";
import { DEMO_AGENTS, LOCAL_AGENTCORE_REGION, localAgentCoreArn } from "@/db/seed/demo-agents";
import { sseReader } from "@/test/fixtures/sse";
import { AgentCoreClient } from "@/lib/invoke/transports/client";
import { startAgentCoreServer, type AgentCoreServer } from "@/test/doubles/agentcore-server";
import { LOCAL_AGENTCORE_CREDENTIALS } from "@/test/doubles/agentcore/dev";
import { openInProcessDatabase } from "./lib/database";
import { isMain, printFigures, runStandalone } from "./lib/standalone";
import { percentile, round } from "./lib/stats";
import type { BenchContext, BenchModule, Figure } from "./lib/types";

const PAIRS = Number(process.env.BENCH_INVOKE_PAIRS ?? 200);
const WARMUP = 20;
const CONCURRENT = 100;
const TARGET_OVERHEAD_MS = 5;
const onboardingAgent = DEMO_AGENTS.find((a) => a.configured?.key === "onboarding")!;
const ONBOARDING = {
  runtimeArn: localAgentCoreArn(onboardingAgent.configured!.runtimeId),
  artifact: onboardingAgent.slug,
};
// Five markdown blocks: the answer streams as five chunks.
const PROMPT = ["# Title", "First paragraph.", "- a\n- b", "Second *paragraph*.", "```\ncode\n```"].join("\n\n");

/** Sends one streamed invocation through the relay; resolves with the Response (its body is the SSE stream). */
type Relay = (body: Record<string, unknown>) => Promise<Response>;

interface Timing {
  ttfc: number;
  total: number;
}

async function startEndpoint(): Promise<AgentCoreServer> {
  return startAgentCoreServer({
    region: LOCAL_AGENTCORE_REGION,
    credentials: LOCAL_AGENTCORE_CREDENTIALS,
    agents: { [ONBOARDING.runtimeArn]: { artifact: ONBOARDING.artifact } },
  });
}

/** The env the app needs to invoke the local endpoint. */
function appEnv(endpoint: AgentCoreServer): Record<string, string> {
  return {
    AWS_ENDPOINT_URL_BEDROCK_AGENTCORE: endpoint.url,
    AWS_REGION: LOCAL_AGENTCORE_REGION,
    AWS_ACCESS_KEY_ID: LOCAL_AGENTCORE_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: LOCAL_AGENTCORE_CREDENTIALS.secretAccessKey,
    ONBOARDING_AGENT_ARN: ONBOARDING.runtimeArn,
    INVOKE_MAX_CONCURRENT_PER_CALLER: "1000",
    // The benchmark is one caller invoking hundreds of times a minute.
    RATE_LIMIT_INVOCATIONS_PER_MIN: "1000000",
  };
}

async function timeDirect(client: AgentCoreClient): Promise<Timing> {
  const t0 = performance.now();
  let first = 0;
  await client.invokeAgent(ONBOARDING.runtimeArn, PROMPT, undefined, {
    onChunk: () => {
      first ||= performance.now();
    },
  });
  return { ttfc: first - t0, total: performance.now() - t0 };
}

async function timeRelay(relay: Relay): Promise<Timing> {
  const t0 = performance.now();
  const res = await relay({ agentId: "onboarding", prompt: PROMPT });
  if (res.status !== 200) throw new Error(`relay answered ${res.status}: ${(await res.text()).slice(0, 200)}`);
  const reader = sseReader(res);
  let first = 0;
  for (let e = await reader.next(); e; e = await reader.next()) {
    if (e.event === "chunk") first ||= performance.now();
    else if (e.event === "done") {
      const total = performance.now() - t0;
      await reader.cancel().catch(() => {});
      return { ttfc: first - t0, total };
    } else if (e.event === "error") throw new Error(`relay error event: ${JSON.stringify(e.data)}`);
  }
  throw new Error("relay stream ended without done");
}

const median = (xs: number[]) =>
  percentile(
    [...xs].sort((a, b) => a - b),
    50,
  );
const p95 = (xs: number[]) =>
  percentile(
    [...xs].sort((a, b) => a - b),
    95,
  );

/** The measurement shared by both modes. */
async function measure(
  relay: Relay,
  direct: AgentCoreClient,
  log: (l: string) => void,
  where: string,
): Promise<Figure[]> {
  log(`warming up (${WARMUP} of each)`);
  for (let i = 0; i < WARMUP; i++) {
    await timeDirect(direct);
    await timeRelay(relay);
  }
  log(`${PAIRS} interleaved pairs (direct, relay)`);
  const d: Timing[] = [];
  const r: Timing[] = [];
  for (let i = 0; i < PAIRS; i++) {
    // Alternate the order so that neither side always runs on a warmer agent.
    if (i % 2) {
      d.push(await timeDirect(direct));
      r.push(await timeRelay(relay));
    } else {
      r.push(await timeRelay(relay));
      d.push(await timeDirect(direct));
    }
  }
  const dTtfc = median(d.map((t) => t.ttfc));
  const rTtfc = median(r.map((t) => t.ttfc));
  const dTotal = median(d.map((t) => t.total));
  const rTotal = median(r.map((t) => t.total));
  // Per-pair differences: robust to drift over the run.
  const diffTtfc = median(r.map((t, i) => t.ttfc - d[i]!.ttfc));
  const diffTotal = median(r.map((t, i) => t.total - d[i]!.total));

  log(`${CONCURRENT} concurrent streamed invocations through the relay`);
  const t0 = performance.now();
  const outcomes = await Promise.allSettled(Array.from({ length: CONCURRENT }, () => timeRelay(relay)));
  const wall = performance.now() - t0;
  const ok = outcomes.filter((o) => o.status === "fulfilled") as PromiseFulfilledResult<Timing>[];
  const failed = outcomes.length - ok.length;
  const firstFailure = outcomes.find((o) => o.status === "rejected") as PromiseRejectedResult | undefined;
  if (firstFailure) log(`first failure: ${(firstFailure.reason as Error).message}`);
  const totals = ok.map((o) => o.value.total);

  return [
    { name: "direct client: time to first chunk p50", value: round(dTtfc), unit: "ms" },
    { name: `relay (${where}): time to first chunk p50`, value: round(rTtfc), unit: "ms" },
    { name: "direct client: total p50", value: round(dTotal), unit: "ms" },
    { name: `relay (${where}): total p50`, value: round(rTotal), unit: "ms" },
    { name: `relay (${where}): total p95`, value: round(p95(r.map((t) => t.total))), unit: "ms" },
    {
      name: "relay overhead, time to first chunk (median of pair differences)",
      value: round(diffTtfc),
      unit: "ms",
      target: `< ${TARGET_OVERHEAD_MS}`,
      met: diffTtfc < TARGET_OVERHEAD_MS,
    },
    {
      name: "relay overhead, total (median of pair differences)",
      value: round(diffTotal),
      unit: "ms",
      target: `< ${TARGET_OVERHEAD_MS}`,
      met: diffTotal < TARGET_OVERHEAD_MS,
    },
    {
      name: `${CONCURRENT} concurrent streamed invocations completed`,
      value: ok.length,
      unit: "invocations",
      target: `= ${CONCURRENT}`,
      met: failed === 0,
      note: `${failed} failed; wall ${round(wall, 0)} ms; total p50 ${round(median(totals))} ms, p95 ${round(p95(totals))} ms`,
    },
  ];
}

function directClient(endpoint: AgentCoreServer): AgentCoreClient {
  return new AgentCoreClient(LOCAL_AGENTCORE_REGION, LOCAL_AGENTCORE_CREDENTIALS, { endpoint: endpoint.url });
}

/** Under `npm run bench`: the relay is `npm start` (server.ts) of the built copy, over HTTP. */
export const bench: BenchModule = {
  name: "invoke",
  description: "POST /api/agents/invoke (streaming) vs the AgentCore client on the same local endpoint; 100 concurrent",
  async run(ctx: BenchContext): Promise<Figure[]> {
    const endpoint = await startEndpoint();
    const direct = directClient(endpoint);
    const server = await ctx.startServer(appEnv(endpoint));
    try {
      const k = generateApiKey();
      const { rows } = await ctx.db.pool.query<{ id: string }>(
        "INSERT INTO agents (name, description) VALUES ('invoke-bench', 'bench caller') RETURNING id",
      );
      await ctx.db.pool.query("INSERT INTO api_keys (agent_id, key_hash, suffix, scopes) VALUES ($1, $2, $3, $4)", [
        rows[0]!.id,
        k.hash,
        k.suffix,
        ["invoke"],
      ]);
      const relay: Relay = (body) =>
        fetch(`${server.url}/api/agents/invoke`, {
          method: "POST",
          headers: { "content-type": "application/json", accept: "text/event-stream", "x-agent-key": k.key },
          body: JSON.stringify(body),
        });
      const figures = await measure(relay, direct, ctx.log, "npm start");
      // Context: what the HTTP hop to the app server alone costs on this machine now (a constant JSON route).
      const rtts: number[] = [];
      for (let i = 0; i < 200; i++) {
        const t0 = performance.now();
        const res = await fetch(`${server.url}/api/bench/constant`);
        await res.arrayBuffer();
        if (res.ok) rtts.push(performance.now() - t0);
      }
      figures.push({
        name: "context: GET /api/bench/constant round trip p50",
        value: rtts.length ? round(median(rtts)) : null,
        unit: "ms",
        note: "the HTTP hop to the app server alone, part of the relay overhead",
      });
      return figures;
    } finally {
      direct.destroy();
      await server.stop();
      await endpoint.close();
    }
  },
};

/** Standalone: the route handler in-process, on PGlite (or DATABASE_URL). Prints the figures and returns them. */
export async function run(log: (l: string) => void = (l) => console.log(`[invoke] ${l}`)): Promise<Figure[]> {
  const endpoint = await startEndpoint();
  Object.assign(process.env, appEnv(endpoint));
  const { agents, apiKeys } = await import("@/db/schema");
  const { reloadEnv } = await import("@/lib/env");
  const { setAgentCoreClient } = await import("@/lib/invoke/client");
  const { POST } = await import("@/app/api/agents/invoke/route");
  reloadEnv();
  const opened = await openInProcessDatabase(log, process.env.BENCH_INVOKE_DB === "pglite");
  const database = opened.database;
  const direct = directClient(endpoint);
  try {
    const [agent] = await database.db.insert(agents).values({ name: "invoke-bench" }).returning({ id: agents.id });
    const k = generateApiKey();
    await database.db
      .insert(apiKeys)
      .values({ agentId: agent!.id, keyHash: k.hash, suffix: k.suffix, scopes: ["invoke"] });
    const relay: Relay = (body) =>
      POST(
        new Request("http://localhost/api/agents/invoke", {
          method: "POST",
          headers: { "content-type": "application/json", accept: "text/event-stream", "x-agent-key": k.key },
          body: JSON.stringify(body),
        }),
        { params: Promise.resolve({}) },
      );
    const where = `in-process handler, ${database.driver}`;
    const figures = await measure(relay, direct, log, where);
    printFigures(figures);
    return figures;
  } finally {
    direct.destroy();
    setAgentCoreClient(undefined);
    await opened.close();
    await endpoint.close();
  }
}

if (isMain(import.meta.url)) runStandalone(run);
