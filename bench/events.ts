import type { ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import readline from "node:readline";
import { rssBytes, startProcess, stopProcess } from "./lib/proc";
import { percentile, round } from "./lib/stats";
import type { BenchContext, BenchModule, Figure } from "./lib/types";

const SUBSCRIBERS = Number(process.env.BENCH_SSE_SUBSCRIBERS ?? 10_000);
const WORKERS = 4;
const TARGET_BYTES = 30 * 1024;
const TARGET_P99_MS = 100;
/** What `npm start` runs (server.ts): Next for pages and API, the event streams served on the socket. */
const APP_LABEL = "npm start (server.ts)";

interface Worker {
  child: ChildProcess;
  next(type: string, timeoutMs: number): Promise<Record<string, any>>;
  send(line: string): void;
  lastProgress: { open: number; failed: number };
}

/** A subscriber farm process (bench/lib/sse-worker.ts) and a way to await its JSON-line messages by type. */
function startWorker(url: string, count: number, lane: number): Worker {
  const child = startProcess(
    process.execPath,
    [
      "--import",
      "tsx",
      path.join(import.meta.dirname, "lib", "sse-worker.ts"),
      url,
      String(count),
      "100",
      String(lane),
    ],
    { stdio: ["pipe", "pipe", "inherit"] },
  );
  child.stdin!.on("error", () => {}); // a worker that already exited
  const waiting = new Map<string, (msg: Record<string, any>) => void>();
  const queued: Record<string, any>[] = [];
  const worker: Worker = {
    child,
    lastProgress: { open: 0, failed: 0 },
    send: (line) => child.stdin!.write(`${line}\n`),
    next(type, timeoutMs) {
      const i = queued.findIndex((m) => m.type === type);
      if (i >= 0) return Promise.resolve(queued.splice(i, 1)[0]!);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`worker: no "${type}" within ${timeoutMs} ms`)), timeoutMs);
        waiting.set(type, (m) => (clearTimeout(timer), resolve(m)));
      });
    },
  };
  readline.createInterface({ input: child.stdout! }).on("line", (line) => {
    let msg: Record<string, any>;
    try {
      msg = JSON.parse(line);
    } catch {
      return;
    }
    if (msg.type === "progress") worker.lastProgress = msg as Worker["lastProgress"];
    const resolve = waiting.get(msg.type);
    if (resolve) {
      waiting.delete(msg.type);
      resolve(msg);
    } else queued.push(msg);
  });
  return worker;
}

/** Appends one event the way the app does (advisory lock, insert, NOTIFY, one transaction). */
async function appendEvent(ctx: BenchContext): Promise<number> {
  const client = await ctx.db.pool.connect();
  try {
    await client.query("BEGIN");
    await client.query("SELECT pg_advisory_xact_lock(7311920441)");
    const { rows } = await client.query<{ id: string }>(
      // Public, so that the anonymous subscribers of the bench receive it (lib/events/audience.ts).
      `INSERT INTO events (type, agent_ids, is_public, subject_type, subject_id, data)
       VALUES ('bench.ping', '{}', true, 'bench', 'ping', '{"bench":true}') RETURNING id`,
    );
    await client.query("SELECT pg_notify('agent_market_events', $1)", [rows[0]!.id]);
    await client.query("COMMIT");
    return Number(rows[0]!.id);
  } finally {
    client.release();
  }
}

interface Target {
  url: string;
  rss(): number;
  /** The hub's "event fan-out" log lines so far: per event, sockets written and the server's time to write them. */
  fanOuts(): FanOutLine[];
}

/** The fan-out lines (lib/events/hub.ts logs one per event sent to 1,000 subscribers or more) in some output. */
interface FanOutLine {
  writes: number;
  ms: number;
  lag_ms: number;
}
function fanOutsIn(lines: string[]): FanOutLine[] {
  return lines.filter((l) => l.includes('"event fan-out"')).map((l) => JSON.parse(l) as FanOutLine);
}

/** Opens the subscribers against `target`, measures RSS per connection and delivery of 3 appended events. */
async function measure(ctx: BenchContext, target: Target, label: string): Promise<Figure[]> {
  const workers: Worker[] = [];
  try {
    // Warm the route and start the hub (one subscriber, then gone) before the baseline.
    const warm = await fetch(`${target.url}/api/events`, { signal: AbortSignal.timeout(5_000) });
    const reader = warm.body!.getReader();
    await reader.read();
    await reader.cancel();
    await new Promise((r) => setTimeout(r, 1_000));
    const rssBefore = target.rss();

    const per = Math.ceil(SUBSCRIBERS / WORKERS);
    const t0 = Date.now();
    ctx.log(`${label}: opening ${SUBSCRIBERS} SSE connections from ${WORKERS} client processes`);
    for (let i = 0; i < WORKERS; i++) {
      workers.push(startWorker(`${target.url}/api/events`, Math.min(per, SUBSCRIBERS - i * per), 10 + i));
    }
    const connectBudget = Math.max(30_000, Math.min(150_000, (ctx.secondsLeft() - 60) * 1000));
    const progress = setInterval(() => {
      const open = workers.reduce((n, w) => n + w.lastProgress.open, 0);
      ctx.log(`  ${open} open, server RSS ${Math.round(target.rss() / 1048576)} MB`);
    }, 5_000);
    let ready: Record<string, any>[];
    try {
      ready = await Promise.all(workers.map((w) => w.next("ready", connectBudget)));
    } finally {
      clearInterval(progress);
    }
    const open = ready.reduce((n, m) => n + m.open, 0);
    const failed = ready.reduce((n, m) => n + m.failed, 0);
    ctx.log(`${label}: ${open} open, ${failed} failed, in ${round((Date.now() - t0) / 1000, 1)} s`);
    await new Promise((r) => setTimeout(r, 2_000));
    const rssAfter = target.rss();
    const perConn = open > 0 ? (rssAfter - rssBefore) / open : null;

    // Delivery: arm every socket, append one event, collect when each socket saw it.
    const latencies: number[] = [];
    let missing = 0;
    const rounds = 3;
    for (let round_ = 0; round_ < rounds; round_++) {
      for (const w of workers) w.send("arm");
      await Promise.all(workers.map((w) => w.next("armed", 10_000)));
      const sentAt = performance.timeOrigin + performance.now();
      await appendEvent(ctx);
      for (const w of workers) w.send("collect 15000");
      const delivered = await Promise.all(workers.map((w) => w.next("delivered", 20_000)));
      for (const d of delivered) {
        missing += d.missing;
        for (const t of d.times as number[]) latencies.push(t - sentAt);
      }
    }
    latencies.sort((a, b) => a - b);
    // The server's share: the time the hub took to write each of the rounds' events to every socket.
    const fanOuts = target.fanOuts().slice(-rounds);
    const serverMs = fanOuts.map((f) => f.ms);
    const lagMs = fanOuts.map((f) => f.lag_ms);
    const p99 = round(percentile(latencies, 99));
    const withTargets = label === APP_LABEL;
    const tgt = (t: string, met: boolean) => (withTargets ? { target: t, met } : {});
    return [
      {
        name: `${label}: SSE subscribers open`,
        value: open,
        unit: "conns",
        ...tgt(`= ${SUBSCRIBERS}`, open === SUBSCRIBERS),
        note: failed ? `${failed} failed to connect` : undefined,
      },
      { name: `${label}: server RSS before`, value: round(rssBefore / 1048576, 1), unit: "MB" },
      { name: `${label}: server RSS with subscribers`, value: round(rssAfter / 1048576, 1), unit: "MB" },
      {
        name: `${label}: server RSS delta per connection`,
        value: perConn === null ? null : round(perConn / 1024, 1),
        unit: "KB",
        ...tgt("< 30 KB", perConn !== null && perConn < TARGET_BYTES && open === SUBSCRIBERS),
      },
      {
        name: `${label}: delivery latency p50 (${rounds} events x ${open} subscribers)`,
        value: round(percentile(latencies, 50)),
        unit: "ms",
      },
      {
        name: `${label}: delivery latency p99`,
        value: p99,
        unit: "ms",
        ...tgt(`< ${TARGET_P99_MS} ms`, p99 < TARGET_P99_MS && missing === 0),
        note: missing ? `${missing} deliveries missing` : "from before the append transaction to receipt",
      },
      {
        name: `${label}: server time to write one event to every socket (max of ${rounds})`,
        value: serverMs.length ? round(Math.max(...serverMs)) : null,
        unit: "ms",
        note: "encoding once, one write per socket",
      },
      {
        name: `${label}: from the event's insert to the start of its fan-out (max of ${rounds})`,
        value: lagMs.length ? round(Math.max(...lagMs)) : null,
        unit: "ms",
        note: "commit, NOTIFY, the hub's read of the log; the rest of the latency is the client processes",
      },
    ];
  } finally {
    for (const w of workers) w.send("quit");
    await Promise.all(workers.map((w) => stopProcess(w.child, 3_000)));
  }
}

/** The hub behind a bare node:http server (bench/lib/raw-sse-server.ts): the cost without Next's pipeline. */
async function startRawServer(ctx: BenchContext): Promise<Target & { stop(): Promise<void> }> {
  const child = startProcess(
    process.execPath,
    ["--import", "tsx", "--conditions=react-server", path.join(import.meta.dirname, "lib", "raw-sse-server.ts")],
    {
      cwd: path.resolve(import.meta.dirname, ".."),
      stdio: ["ignore", "pipe", "inherit"],
      env: { ...process.env, NODE_ENV: "production", DATABASE_URL: ctx.db.url, DATABASE_POOL_MAX: "20" },
    },
  );
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("raw SSE server did not start")), 30_000);
    readline.createInterface({ input: child.stdout! }).once("line", (line) => {
      clearTimeout(timer);
      resolve((JSON.parse(line) as { port: number }).port);
    });
  });
  const output: string[] = [];
  readline.createInterface({ input: child.stdout! }).on("line", (line) => output.push(line));
  return {
    url: `http://127.0.0.1:${port}`,
    rss: () => rssBytes(child.pid!),
    fanOuts: () => fanOutsIn(output),
    stop: () => stopProcess(child),
  };
}

export const bench: BenchModule = {
  name: "events",
  description: `${SUBSCRIBERS} concurrent GET /api/events subscribers on one npm start (server.ts): RSS per connection, delivery latency`,
  async run(ctx: BenchContext): Promise<Figure[]> {
    const figures: Figure[] = [];
    // Each subscriber connects from its own loopback address (bench/lib/sse-worker.ts): each takes and renews its
    // own stream lease under the per-address limit (lib/api/stream-slots.ts), as ten thousand clients would.
    const server = await ctx.startServer();
    try {
      const target = { ...server, fanOuts: () => fanOutsIn(fs.readFileSync(server.log, "utf8").split("\n")) };
      figures.push(...(await measure(ctx, target, APP_LABEL)));
    } finally {
      await server.stop();
    }
    if (process.env.BENCH_SSE_RAW !== "0") {
      const raw = await startRawServer(ctx);
      try {
        figures.push(...(await measure(ctx, raw, "same hub, bare node:http")));
      } finally {
        await raw.stop();
      }
    }
    return figures;
  },
};
