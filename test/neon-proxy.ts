import net from "node:net";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll } from "vitest";
import { WebSocketServer, type WebSocket } from "ws";
import { createDatabase, type Database } from "@/db/client";
import { openTestDatabase, type TestDatabase } from "./db";

/**
 * A WebSocket-to-TCP proxy of the kind Neon's serverless driver talks to (`/v1?address=host:port`),
 * so that the Neon code path runs for real against the local PostgreSQL. Loopback targets only.
 */
export async function startNeonProxy(): Promise<{
  url: string;
  connections: () => number;
  close: () => Promise<void>;
}> {
  const wss = new WebSocketServer({ host: "127.0.0.1", port: 0, path: "/v1" });
  const sockets = new Set<net.Socket>();
  let total = 0;
  wss.on("connection", (ws: WebSocket, req) => {
    const address = new URL(req.url ?? "", "http://x").searchParams.get("address") ?? "";
    const [host, port] = address.split(":");
    if (!host || !port || !["127.0.0.1", "localhost"].includes(host)) {
      ws.close(1008, "target not allowed");
      return;
    }
    total += 1;
    const tcp = net.connect({ host, port: Number(port) });
    sockets.add(tcp);
    const pending: Buffer[] = [];
    tcp.on("connect", () => {
      for (const b of pending.splice(0)) tcp.write(b);
    });
    ws.on("message", (data: Buffer) => (tcp.connecting ? pending.push(data) : tcp.write(data)));
    tcp.on("data", (chunk) => ws.readyState === ws.OPEN && ws.send(chunk, { binary: true }));
    const end = () => {
      sockets.delete(tcp);
      tcp.destroy();
      if (ws.readyState === ws.OPEN || ws.readyState === ws.CONNECTING) ws.close();
    };
    tcp.on("close", end);
    tcp.on("error", end);
    ws.on("close", end);
    ws.on("error", end);
  });
  await new Promise<void>((resolve) => wss.once("listening", () => resolve()));
  const { port } = wss.address() as AddressInfo;
  return {
    url: `ws://127.0.0.1:${port}`,
    connections: () => total,
    close: async () => {
      for (const s of sockets) s.destroy();
      for (const c of wss.clients) c.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}

export interface NeonTestDatabase {
  /** This file's own database, through node-postgres (or PGlite's). */
  base: TestDatabase;
  proxy: Awaited<ReturnType<typeof startNeonProxy>>;
  /** The same database through the Neon serverless driver over `proxy`. */
  neon: Database;
}

/** Gives this test file its own database, reached both directly and through the Neon driver over a local proxy. */
export function setupNeonDatabase(): { current: NeonTestDatabase } {
  const holder = {} as { current: NeonTestDatabase };
  beforeAll(async () => {
    const base = await openTestDatabase();
    const proxy = await startNeonProxy();
    const neon = await createDatabase({ url: base.url, driver: "neon", neonWsProxy: proxy.url, migrate: false });
    holder.current = { base, proxy, neon };
  });
  afterAll(async () => {
    await holder.current?.neon.close();
    await holder.current?.proxy.close();
    await holder.current?.base.database.close();
  });
  return holder;
}
