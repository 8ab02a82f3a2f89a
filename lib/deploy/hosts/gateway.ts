import "server-only";
import fs from "node:fs";
import http, { type IncomingMessage, type ServerResponse } from "node:http";
import os from "node:os";
import path from "node:path";
import { readNodeBody } from "@/lib/node-body";

/**
 * The router and the health checks reach every instance through a Unix socket (the local host's sandboxes). An
 * instance on AWS gets a gateway socket in this process that carries the call on: to a Fargate task's address, or
 * into AgentCore through the signed invoke transport. One gateway per instance row, closed with it.
 */
export type GatewayHandler = (req: IncomingMessage, body: Buffer, res: ServerResponse) => Promise<void>;

const MAX_BODY = 10_000_000;

export class Gateways {
  private readonly servers = new Map<string, http.Server>();
  private readonly dir = path.join(os.tmpdir(), `agent-market-gw-${process.pid}`);

  has(id: string): boolean {
    return this.servers.has(id);
  }

  /** Opens the gateway of instance `id`; returns its socket path (the instance's address). */
  async open(id: string, handler: GatewayHandler): Promise<string> {
    fs.mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    const socket = path.join(this.dir, `${id}.sock`);
    await this.close(id);
    fs.rmSync(socket, { force: true });
    const server = http.createServer((req, res) => {
      readNodeBody(req, MAX_BODY)
        .then((body) => handler(req, body, res))
        .catch((err: unknown) => {
          if (!res.headersSent) res.writeHead(502, { "content-type": "application/json" });
          res.end(JSON.stringify({ error: "BadGateway", message: (err as Error).message }));
        });
    });
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(socket, resolve);
    });
    this.servers.set(id, server);
    return socket;
  }

  async close(id: string): Promise<void> {
    const server = this.servers.get(id);
    if (!server) return;
    this.servers.delete(id);
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
  }

  async closeAll(): Promise<void> {
    await Promise.all([...this.servers.keys()].map((id) => this.close(id)));
  }
}

const upstream = new http.Agent({ keepAlive: true, maxSockets: 256 });

/** Forwards the call as it came (method, path, body) to `origin` and streams the answer back. */
export function proxyTo(origin: string): GatewayHandler {
  return (req, body, res) =>
    new Promise<void>((resolve, reject) => {
      const url = new URL(req.url ?? "/", origin);
      const out = http.request(
        url,
        {
          method: req.method,
          agent: upstream,
          headers: {
            "content-type": String(req.headers["content-type"] ?? "application/json"),
            accept: String(req.headers.accept ?? "*/*"),
            "content-length": body.length,
          },
        },
        (up) => {
          res.writeHead(up.statusCode ?? 502, {
            "content-type": String(up.headers["content-type"] ?? "application/json"),
          });
          up.pipe(res);
          up.on("end", resolve);
          up.on("error", reject);
        },
      );
      out.on("error", reject);
      out.end(body);
    });
}
