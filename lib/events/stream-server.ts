import type { IncomingMessage, ServerResponse } from "node:http";
import type { z } from "zod";
import type { AuthMode } from "@/lib/api/contract";
import { withApi, type RouteHandler } from "@/lib/api/handler";
import { env } from "@/lib/env";
import { log } from "@/lib/log";
import type { SseSource } from "./sse";
import { serveSource } from "./sse-node";
import { eventsStream, executionStream, type StreamRoute } from "./stream-routes";

/** A request listener of node:http. */
export type Listener = (req: IncomingMessage, res: ServerResponse) => unknown;

interface Served {
  match(pathname: string): Record<string, string> | null;
  handle(req: Request, params: Record<string, string>): Promise<{ res: Response; source: SseSource | null }>;
}

/**
 * A stream route run through withApi exactly as its Next route handler is (caller, scopes, rate limit, query, the
 * one error format), except that what it serves comes back as a source for the socket instead of a web Response.
 */
function served<Q extends z.ZodType | undefined, P extends z.ZodType | undefined, A extends AuthMode>(
  route: StreamRoute<Q, P, A>,
  match: Served["match"],
): Served {
  const sources = new WeakMap<Request, SseSource>();
  const handler: RouteHandler = withApi(route.contract, async (ctx) => {
    sources.set(ctx.req, await route.source(ctx));
    // A body, so that a stream slot of the rate limit is held until it is cancelled (when the socket closes).
    return new Response("", { status: 200 });
  });
  return {
    match,
    async handle(req, params) {
      const res = await handler(req, { params: Promise.resolve(params) });
      return { res, source: sources.get(req) ?? null };
    },
  };
}

const EXECUTION_EVENTS = /^\/api\/executions\/([^/]+)\/events\/?$/;

/** The long-lived streams the stream server serves itself; every other request goes to Next. */
export const STREAM_ROUTES: readonly Served[] = [
  served(eventsStream, (p) => (p === "/api/events" || p === "/api/events/" ? {} : null)),
  served(executionStream, (p) => {
    const m = EXECUTION_EVENTS.exec(p);
    if (!m) return null;
    try {
      return { id: decodeURIComponent(m[1]!) };
    } catch {
      return { id: m[1]! }; // a malformed escape names nothing: the contract's params answer 404
    }
  }),
];

/** The route a request is for and its path params, or null when it is not a stream (Next serves it). */
export function matchStream(req: IncomingMessage): { route: Served; params: Record<string, string> } | null {
  if (req.method !== "GET" || !req.url) return null;
  const q = req.url.indexOf("?");
  const pathname = q >= 0 ? req.url.slice(0, q) : req.url;
  for (const route of STREAM_ROUTES) {
    const params = route.match(pathname);
    if (params) return { route, params };
  }
  return null;
}

/**
 * The process's request listener: `GET /api/events` and `GET /api/executions/{id}/events` are served here, on the
 * socket, outside Next's per-request pipeline (each subscriber costs a sink object and its socket); every other
 * request is handed to `next` (Next's own request handler).
 */
export function streamListener(next: Listener): Listener {
  return (req, res) => {
    const found = matchStream(req);
    if (!found) return next(req, res);
    return serveStream(found.route, found.params, req, res).catch((err) => {
      log().error({ err, url: req.url }, "event stream failed");
      if (!res.headersSent) res.writeHead(500, { "content-type": "application/json" });
      res.end(
        res.headersSent
          ? undefined
          : JSON.stringify({ error: "InternalError", message: "Something went wrong on our side" }),
      );
    });
  };
}

/** A web Request carrying what a route handler reads: method, URL, headers (no body: streams are GETs). */
function toRequest(req: IncomingMessage): Request {
  const headers = new Headers();
  for (const [k, v] of Object.entries(req.headers)) {
    if (v === undefined) continue;
    for (const one of Array.isArray(v) ? v : [v]) headers.append(k, one);
  }
  let url: URL;
  try {
    url = new URL(req.url ?? "/", `http://${req.headers.host ?? "localhost"}`);
  } catch {
    url = new URL(req.url ?? "/", "http://localhost");
  }
  return new Request(url, { method: req.method, headers });
}

async function serveStream(
  route: Served,
  params: Record<string, string>,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const { res: answer, source } = await route.handle(toRequest(req), params);
  if (!source || answer.status !== 200) {
    // The one error format, as withApi wrote it (status, headers such as Retry-After, JSON body).
    const body = Buffer.from(await answer.arrayBuffer());
    res.writeHead(answer.status, Object.fromEntries(answer.headers)).end(body);
    return;
  }
  const body = answer.body;
  const headers: Record<string, string> = {};
  for (const [k, v] of answer.headers) if (k !== "content-type" && k !== "content-length") headers[k] = v;
  await serveSource(res, source, {
    maxBacklogBytes: env().SSE_MAX_BACKLOG_BYTES,
    headers,
    // The rate limit's stream slot (lib/api/stream-slots.ts) is released when its body is cancelled.
    onEnd: body ? () => void body.cancel().catch(() => {}) : undefined,
  });
}
