import http from "node:http";
import type { AddressInfo } from "node:net";
import { Readable } from "node:stream";
import { checkAgainstContract, type Handler } from "./http";

/** A route module's exports: the methods it serves (as Next answers any other with 405). */
type RouteModule = Partial<Record<"GET" | "POST" | "PUT" | "PATCH" | "DELETE", Handler>>;

export interface ServedRoute {
  url: string;
  close(): Promise<void>;
}

/**
 * Serves one route handler over real HTTP on loopback, handing it a Request built from the Node request's
 * `headers` the way Next's server does, so that tests see what a handler sees behind a real socket (the
 * peer-address hook, forged headers). Given a route module's methods, any other method is 405, as in Next. A JSON
 * answer of a withApi route is checked against its contract as `call` (./http.ts) checks it: a body the contract
 * does not describe is answered 599 with the differences, so the test fails naming them. Test-only; the app is
 * served by Next.
 */
export async function serveRoute(
  route: Handler | RouteModule,
  params: Record<string, string> = {},
): Promise<ServedRoute> {
  const server = http.createServer(async (req, res) => {
    try {
      const handler = typeof route === "function" ? route : route[req.method as keyof RouteModule];
      if (!handler) {
        res.writeHead(405, { allow: Object.keys(route).join(", ") }).end();
        return;
      }
      const headers = new Headers();
      for (const [k, v] of Object.entries(req.headers)) {
        if (v === undefined) continue;
        for (const one of Array.isArray(v) ? v : [v]) headers.append(k, one);
      }
      const hasBody = req.method !== "GET" && req.method !== "HEAD";
      const request = new Request(`http://${req.headers.host}${req.url}`, {
        method: req.method,
        headers,
        body: hasBody ? (Readable.toWeb(req) as ReadableStream<Uint8Array>) : undefined,
        duplex: "half",
      } as RequestInit);
      const response = await handler(request, { params: Promise.resolve(params) });
      if (handler.contract && /^application\/json\b/i.test(response.headers.get("content-type") ?? "")) {
        const text = await response.text();
        checkAgainstContract(handler.contract, response.status, text ? JSON.parse(text) : null);
        res.writeHead(response.status, Object.fromEntries(response.headers)).end(text);
        return;
      }
      res.writeHead(response.status, Object.fromEntries(response.headers));
      if (response.body) Readable.fromWeb(response.body as never).pipe(res);
      else res.end();
    } catch (err) {
      res.writeHead(599).end(String(err));
    }
  });
  // The client (undici) drops idle sockets after 4 s and Node's server after 5 s; on a loaded machine those timers
  // race and a reused socket is reset (ECONNRESET). The server keeps idle sockets longer, so only the client ends them.
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
