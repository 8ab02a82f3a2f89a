/**
 * The same event hub served by a bare node:http server, for comparison with `next start` (bench/events.ts).
 * It isolates the hub's cost (one LISTEN, one read, one encoding, one write per subscriber) from the cost of
 * Next's request pipeline. Run with `node --import tsx --conditions=react-server` and DATABASE_URL set; prints
 * `{"port":N}` once listening.
 */
import http from "node:http";
import { getEventHub } from "@/lib/events/hub";
import { formatComment, type SseSink } from "@/lib/events/sse";

const HEARTBEAT_MS = 15_000;

const server = http.createServer((req, res) => {
  if (!req.url?.startsWith("/api/events")) {
    res.writeHead(404).end();
    return;
  }
  void (async () => {
    const hub = await getEventHub();
    await hub.start();
    res.writeHead(200, { "content-type": "text/event-stream; charset=utf-8", "cache-control": "no-cache" });
    res.write(formatComment("connected"));
    let closed = false;
    const sink: SseSink = {
      write(bytes) {
        if (closed) return false;
        res.write(bytes);
        return true;
      },
      get closed() {
        return closed;
      },
      get backlogBytes() {
        return res.writableLength;
      },
      close() {
        if (!closed) res.end();
        closed = true;
      },
    };
    const unsubscribe = await hub.subscribe(sink, {});
    const heartbeat = setInterval(() => sink.write(formatComment("heartbeat")), HEARTBEAT_MS);
    res.on("close", () => {
      closed = true;
      clearInterval(heartbeat);
      unsubscribe();
    });
  })().catch(() => res.destroy());
});
server.listen(0, "127.0.0.1", () => {
  process.stdout.write(`${JSON.stringify({ port: (server.address() as { port: number }).port })}\n`);
});
