import http from "node:http";
import { percentile, round } from "../lib/stats";
import type { Figure } from "../lib/types";
import { seedAgent } from "./seed";

/*
 * Part 1 of the deploy bench (../deploy.ts): one sandboxed instance called directly and through the router.
 * `calls` sequential calls each way, then 32 callers for `seconds` each way.
 */

type Log = (line: string) => void;

/**
 * Latencies of `a` and `b` called in turns (so that a busy moment of the machine hits both alike), then calls per
 * second of 32 callers for `seconds`, twice each way in turns, the better of the two.
 */
async function compare(calls: number, seconds: number, a: () => Promise<void>, b: () => Promise<void>) {
  for (let i = 0; i < 100; i++) await Promise.all([a(), b()]);
  const times: [number[], number[]] = [[], []];
  for (let i = 0; i < calls; i++) {
    for (const [k, fn] of [a, b].entries()) {
      const t0 = performance.now();
      await fn();
      times[k]!.push(performance.now() - t0);
    }
  }
  const rate = async (fn: () => Promise<void>) => {
    let done = 0;
    const until = performance.now() + seconds * 1000;
    await Promise.all(
      Array.from({ length: 32 }, async () => {
        while (performance.now() < until) {
          await fn();
          done += 1;
        }
      }),
    );
    return done / seconds;
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

export async function routerFigures(log: Log, calls: number, seconds: number): Promise<Figure[]> {
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
    log(`router: ${calls} sequential calls and 2 x ${seconds} s of 32 callers, each way`);
    const [d, r] = await compare(calls, seconds, direct, routed);
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
