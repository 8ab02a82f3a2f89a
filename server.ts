/**
 * `npm start`: the app in one process. Next serves every request through its own request handler, except the
 * long-lived event streams (`GET /api/events`, `GET /api/executions/{id}/events`), which the stream server
 * (lib/events/stream-server.ts) serves on the socket itself: a subscriber then costs its socket and a small sink,
 * not a request of Next's pipeline. The route handlers of those streams stay, for platforms that run Next alone.
 * A custom server in Next's documented pattern (`next({ dev, dir })` + `app.getRequestHandler()`).
 * Run with `node --import tsx --conditions=react-server server.ts [--port N] [--hostname H] [--dev]`;
 * PORT and HOSTNAME (lib/env.ts) are read too. Serves a production build unless --dev.
 */
import http from "node:http";

const args = process.argv.slice(2);
const option = (name: string, fallback: string | undefined) => {
  const i = args.findIndex((a) => a === `--${name}` || a === `-${name[0]}`);
  return i >= 0 && args[i + 1] ? args[i + 1] : fallback;
};
const dev = args.includes("--dev");
// The one write to the environment: NODE_ENV decides what Next loads, and is settled before anything reads it.
if (!dev) (process.env as Record<string, string>).NODE_ENV ??= "production";
const { env } = await import("./lib/env");
const port = Number(option("port", String(env().PORT)));
const hostname = option("hostname", env().HOSTNAME);
const { default: next } = await import("next");

const app = next({ dev, dir: import.meta.dirname, hostname: hostname ?? "localhost", port });
const handle = app.getRequestHandler();
await app.prepare();

// Every request carries its socket's address from here on (the per-address rate limits; lib/api/peer-address.ts).
const { installPeerAddressHook } = await import("./lib/api/peer-address");
installPeerAddressHook();
const { streamListener } = await import("./lib/events/stream-server");

const server = http.createServer(streamListener((req, res) => handle(req, res)));
server.listen(port, hostname, () => {
  console.log(`[start] listening on http://${hostname ?? "localhost"}:${port} (event streams served on the socket)`);
});

let stopping = false;
for (const signal of ["SIGTERM", "SIGINT"] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    server.close();
    server.closeAllConnections();
    // Other shutdown work (the deployment controller's, lib/deploy/controller) gets a grace to finish and exits
    // itself; otherwise the process ends when nothing is left, or at the end of the grace.
    setTimeout(() => process.exit(0), 10_000).unref();
    void app.close?.();
  });
}
