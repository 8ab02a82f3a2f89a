import { subscribe } from "node:diagnostics_channel";
import type { IncomingMessage } from "node:http";
import type { Socket } from "node:net";

/**
 * The socket's peer address, carried into route handlers in a header of our own.
 *
 * Why this exists: a Next route handler gets a web `Request`, never the socket. Next 16's own server only fills
 * the gap when the client left it open: `req.headers['x-forwarded-for'] ??= socket.remoteAddress`
 * (node_modules/next/dist/server/base-server.js, "Update the `x-forwarded-*` headers"). A client that sends its
 * own `X-Forwarded-For` therefore replaces the socket address in everything the handler can see, and a `proxy.ts`
 * (middleware) sees no more than the handler does. Reading `X-Forwarded-For` without a trusted proxy in front
 * would let every request claim a fresh address and escape any per-address limit.
 *
 * Node publishes every HTTP request on the `http.server.request.start` diagnostics channel, synchronously, with
 * its socket, before the server's "request" listeners (Next's) run. Subscribed once per process (from
 * instrumentation.ts), we overwrite PEER_ADDRESS_HEADER with the socket's address on every request, so whatever a
 * client sends under that name is replaced, and route handlers read the true peer. Requests that reached the
 * server before the hook was installed (while Next was still starting) carry no peer address: their per-address
 * limits fall back to the caller's identity (lib/api/rate-limit.ts).
 */
export const PEER_ADDRESS_HEADER = "x-agent-market-peer-address";

const INSTALLED = Symbol.for("agent-market.peer-address-hook");
type Flagged = { [INSTALLED]?: boolean };

interface RequestStart {
  request: IncomingMessage;
  socket?: Socket;
}

function onRequestStart(message: unknown): void {
  const { request, socket } = message as RequestStart;
  const address = (socket ?? request.socket)?.remoteAddress;
  // rawHeaders too, so that no reader can pick the client's copy from there. Overwritten in place: Node builds
  // `headers` lazily from rawHeaders with the count it parsed, so the list must keep its length.
  const raw = request.rawHeaders;
  for (let i = 0; i + 1 < raw.length; i += 2) {
    if (raw[i]?.toLowerCase() === PEER_ADDRESS_HEADER) raw[i + 1] = address ?? "";
  }
  if (address) request.headers[PEER_ADDRESS_HEADER] = address;
  else delete request.headers[PEER_ADDRESS_HEADER];
}

/** Installs the hook in this process (idempotent); instrumentation.ts calls it when the Node server starts. */
export function installPeerAddressHook(): void {
  const g = globalThis as Flagged;
  if (g[INSTALLED]) return;
  subscribe("http.server.request.start", onRequestStart);
  g[INSTALLED] = true;
}

/**
 * The peer address of a request, or null when unknown. The header is believed only when the hook runs in this
 * process (shared through globalThis, since instrumentation and route handlers are separate bundles); otherwise
 * nothing has overwritten it and a client could have written it.
 */
export function peerAddress(req: Request): string | null {
  if (!(globalThis as Flagged)[INSTALLED]) return null;
  return req.headers.get(PEER_ADDRESS_HEADER);
}
