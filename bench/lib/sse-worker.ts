/**
 * A subscriber farm, run as a child process by bench/events.ts: opens COUNT raw-socket SSE connections to
 * URL, then on "arm" on stdin records, per socket, when the next event frame arrives. Talks JSON lines on
 * stdout. Raw sockets rather than fetch: ten thousand of them must cost the client little.
 */
import net from "node:net";
import readline from "node:readline";
import { SseParser } from "@/lib/events/sse-parse";

const [url, countArg, parallelArg, laneArg] = process.argv.slice(2);
const target = new URL(url!);
const count = Number(countArg);
const parallel = Number(parallelArg ?? 100);
const request =
  `GET ${target.pathname}${target.search} HTTP/1.1\r\nHost: ${target.host}\r\n` +
  `Accept: text/event-stream\r\nCache-Control: no-cache\r\n\r\n`;

interface Sub {
  socket: net.Socket;
  open: boolean;
  armed: boolean;
  at: number | null;
}
const subs: Sub[] = [];
const lane = laneArg === undefined ? null : Number(laneArg);
let opened = 0;
let failed = 0;
const now = () => performance.timeOrigin + performance.now();
const say = (msg: object) => process.stdout.write(`${JSON.stringify(msg)}\n`);

function connectOne(): Promise<void> {
  return new Promise((resolve) => {
    // Each subscriber from its own loopback address (127.<lane>.x.y; all of 127/8 is local): ten thousand
    // clients, as in life, rather than one client holding ten thousand streams (the per-address stream limit).
    const n = opened++;
    const localAddress = lane === null ? undefined : `127.${lane}.${Math.floor(n / 250)}.${(n % 250) + 1}`;
    const socket = net.connect({ host: target.hostname, port: Number(target.port), localAddress });
    const sub: Sub = { socket, open: false, armed: false, at: null };
    let head = "";
    // The body after the response head goes through the SSE parser (chunked-encoding size lines are fields it
    // ignores); a frame with an id is an event.
    const parser = new SseParser();
    const timer = setTimeout(() => socket.destroy(new Error("connect timeout")), 30_000);
    socket.setNoDelay(true);
    socket.on("connect", () => socket.write(request));
    socket.on("data", (chunk: Buffer) => {
      if (!sub.open) {
        head += chunk.toString("latin1");
        // Connected once the status line is 200 and the first frame (retry: / comment) has arrived.
        if (head.includes("\r\n\r\n") && (head.includes("retry:") || head.includes(": connected"))) {
          if (!head.startsWith("HTTP/1.1 200")) return socket.destroy(new Error(head.slice(0, 40)));
          parser.push(head.slice(head.indexOf("\r\n\r\n") + 4));
          sub.open = true;
          clearTimeout(timer);
          subs.push(sub);
          resolve();
        }
        return;
      }
      const event = parser.push(chunk).some((f) => f.id !== undefined);
      if (event && sub.armed && sub.at === null) sub.at = now();
    });
    socket.on("error", () => {});
    socket.on("close", () => {
      clearTimeout(timer);
      if (!sub.open) {
        failed++;
        resolve();
      }
      sub.open = false;
    });
  });
}

async function connectAll(): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < count) {
      next++;
      await connectOne();
    }
  };
  const progress = setInterval(() => say({ type: "progress", open: subs.length, failed }), 1_000);
  await Promise.all(Array.from({ length: Math.min(parallel, count) }, lane));
  clearInterval(progress);
  say({ type: "ready", open: subs.filter((s) => s.open).length, failed });
}

const rl = readline.createInterface({ input: process.stdin });
rl.on("line", (line) => {
  if (line === "arm") {
    for (const s of subs) {
      s.armed = true;
      s.at = null;
    }
    say({ type: "armed" });
  } else if (line.startsWith("collect")) {
    const waitMs = Number(line.split(" ")[1] ?? 10_000);
    const deadline = Date.now() + waitMs;
    const check = () => {
      const live = subs.filter((s) => s.open);
      if (live.every((s) => s.at !== null) || Date.now() > deadline) {
        say({
          type: "delivered",
          times: live.filter((s) => s.at !== null).map((s) => s.at),
          missing: live.filter((s) => s.at === null).length,
          closed: subs.length - live.length,
        });
      } else setTimeout(check, 5);
    };
    check();
  } else if (line === "quit") {
    for (const s of subs) s.socket.destroy();
    process.exit(0);
  }
});
rl.on("close", () => process.exit(0));

void connectAll();
