import { randomUUID } from "node:crypto";
import http from "node:http";
import net from "node:net";
import type { AddressInfo } from "node:net";
import { Readable } from "node:stream";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { GET as eventsRoute } from "@/app/api/events/route";
import { GET as executionRoute } from "@/app/api/executions/[id]/events/route";
import { SCOPES } from "@/lib/auth/scopes";
import { inTransaction } from "@/lib/db";
import { reloadEnv } from "@/lib/env";
import { setupTestDatabase } from "@/test/db";
import { readStream } from "@/test/fixtures/event-stream";
import { createAgent } from "@/test/fixtures/market";
import type { RouteHandler } from "@/lib/api/handler";
import { getEventHub, stopEventHub } from "./hub";
import { appendEvent } from "./log";
import { streamListener } from "./stream-server";

// The bound (a few frames of the test below): past the kernel's buffers, a reader that stops is dropped.
const BOUND = 256 * 1024;
process.env.SSE_MAX_BACKLOG_BYTES = String(BOUND);
reloadEnv();

const db = setupTestDatabase();
const conn = () => db.current.database.db;

/** Where a test finds the two streams: served by the Next route handlers, or by the stream server's listener. */
interface Target {
  events: string;
  execution(id: string): Promise<string>;
}
const servers: { close(): Promise<void> }[] = [];
const streams: AbortController[] = [];

const TARGETS: [string, () => Promise<Target>][] = [
  [
    "route handlers (Next alone)",
    async () => {
      return {
        events: await serveHandler(eventsRoute),
        execution: (id) => serveHandler(executionRoute, { id }),
      };
    },
  ],
  ["stream server (npm start)", async () => ({ ...(await listenerServer()), execution: async () => listener!.url })],
];

async function listen(server: http.Server): Promise<string> {
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  servers.push({
    close: () => new Promise<void>((r) => (server.closeAllConnections(), server.close(() => r()))),
  });
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/**
 * A route handler behind node:http the way Next serves it: a Request from the Node request whose signal aborts
 * when the client goes away, and the Response body piped to the socket.
 */
function serveHandler(handler: RouteHandler, params: Record<string, string> = {}): Promise<string> {
  const server = http.createServer(async (req, res) => {
    const ac = new AbortController();
    res.once("close", () => ac.abort());
    const headers = new Headers();
    for (const [k, v] of Object.entries(req.headers)) if (typeof v === "string") headers.set(k, v);
    const request = new Request(`http://${req.headers.host}${req.url}`, { headers, signal: ac.signal });
    const response = await handler(request, { params: Promise.resolve(params) });
    res.writeHead(response.status, Object.fromEntries(response.headers));
    if (!response.body) return void res.end();
    const body = Readable.fromWeb(response.body as never);
    res.once("close", () => body.destroy());
    body.pipe(res);
  });
  return listen(server);
}

let listener: { url: string } | null = null;
/** The stream server's listener on loopback, with a stand-in for Next's handler that says who answered. */
async function listenerServer(): Promise<{ events: string }> {
  const server = http.createServer(
    streamListener((req, res) => res.writeHead(200, { "x-served-by": "next" }).end(`next ${req.method} ${req.url}`)),
  );
  listener = { url: await listen(server) };
  return { events: listener.url };
}

// Each test starts with no subscriber: the counts below are then exact.
afterEach(async () => {
  for (const ac of streams.splice(0)) ac.abort();
  await subscribersReach(0);
});
afterAll(async () => {
  await stopEventHub();
  await Promise.all(servers.map((s) => s.close()));
});

async function open(base: string, path: string, headers: Record<string, string> = {}) {
  const ac = new AbortController();
  streams.push(ac);
  const res = await fetch(`${base}${path}`, { headers, signal: ac.signal });
  return { res, stream: res.ok ? readStream(res) : null };
}

function emit(type: string, agentIds: string[], data: Record<string, unknown> = {}, subjectType = "agent") {
  return inTransaction((tx) => appendEvent(tx, { type, agentIds, subjectType, subjectId: randomUUID(), data }));
}

async function subscribersReach(n: number) {
  const hub = await getEventHub();
  await vi.waitFor(() => expect(hub.subscriberCount).toBe(n), { timeout: 10_000, interval: 10 });
}

describe.each(TARGETS)("event streams served by the %s", (_name, makeTarget) => {
  let target: Target;
  beforeAll(async () => {
    target = await makeTarget();
  });

  it("frames events as the contract says, after a retry: frame", async () => {
    const { res, stream } = await open(target.events, "/api/events");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/event-stream/);
    await subscribersReach(1);
    const agent = randomUUID();
    const id = await emit("agent_updated", [agent], { fields: ["name"] });
    await stream!.until(() => stream!.ids().includes(id));
    expect(stream!.frames[0]?.retry).toBe(2000);
    const frame = stream!.events().find((f) => f.id === String(id));
    expect(frame?.event).toBe("agent_updated");
    expect(JSON.parse(frame!.data!)).toMatchObject({ id, type: "agent_updated", agent_ids: [agent] });
  });

  it("answers bad credentials and bad input with the one error format (401, 403, 400, 404)", async () => {
    const bad = await fetch(`${target.events}/api/events`, { headers: { "x-agent-key": "agmkt_sk_not_a_real_key_0" } });
    expect(bad.status).toBe(401);
    expect(bad.headers.get("www-authenticate")).toMatch(/^Bearer/);
    expect(await bad.json()).toMatchObject({ error: "AuthenticationError" });

    const resume = await fetch(`${target.events}/api/events`, { headers: { "last-event-id": "nope" } });
    expect(resume.status).toBe(400);
    expect(await resume.json()).toMatchObject({
      error: "ValidationError",
      details: { fields: { last_event_id: "not an event id" } },
    });
    const query = await fetch(`${target.events}/api/events?agent=not-a-uuid`);
    expect(query.status).toBe(400);
    expect(await query.json()).toMatchObject({ error: "ValidationError" });

    const id = randomUUID();
    const url = await target.execution(id);
    const anonymous = await fetch(`${url}/api/executions/${id}/events`);
    expect(anonymous.status).toBe(401);
    expect(await anonymous.json()).toMatchObject({ error: "AuthenticationError" });
    const narrow = await createAgent(conn(), { scopes: SCOPES.filter((s) => s !== "executions:read") });
    const noScope = await fetch(`${url}/api/executions/${id}/events`, { headers: { "x-agent-key": narrow.key } });
    expect(noScope.status).toBe(403);
    expect(await noScope.json()).toMatchObject({
      error: "AuthorizationError",
      details: { missing_scopes: ["executions:read"] },
    });
    const full = await createAgent(conn());
    const unknown = await fetch(`${url}/api/executions/${id}/events`, { headers: { "x-agent-key": full.key } });
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ error: "NotFoundError" });
  });

  it("resumes after Last-Event-ID with exactly the rest, then live", async () => {
    const agent = randomUUID();
    const ids: number[] = [];
    for (let i = 0; i < 4; i++) ids.push(await emit("agent_updated", [agent], { fields: [`f${i}`] }));
    const { stream } = await open(target.events, `/api/events?agent=${agent}`, { "last-event-id": String(ids[0]) });
    await stream!.until(() => stream!.ids().includes(ids[3]!));
    const live = await emit("agent_updated", [agent]);
    await stream!.until(() => stream!.ids().includes(live));
    expect(stream!.ids()).toEqual([...ids.slice(1), live]);
  });

  it("sends a party's private events to the party and never to an outsider", async () => {
    const party = await createAgent(conn());
    const from = String(await emit("agent_updated", [party.agent.id]));
    // (The job's event also moves the public marketplace stats; only the two types here are compared.)
    const path = "/api/events?type=agent_updated,job_created";
    const outsider = await open(target.events, path, { "last-event-id": from });
    const member = await open(target.events, path, { "last-event-id": from, "x-agent-key": party.key });
    const secret = await emit("job_created", [party.agent.id], { body: "private" }, "job");
    const marker = await emit("agent_updated", [party.agent.id]);
    await outsider.stream!.until(() => outsider.stream!.ids().includes(marker));
    await member.stream!.until(() => member.stream!.ids().includes(marker));
    expect(outsider.stream!.ids()).toEqual([marker]);
    expect(member.stream!.ids()).toEqual([secret, marker]);
  });

  it("drops a subscriber that stops reading once its unsent bytes pass the bound, and keeps the one that reads", async () => {
    const hub = await getEventHub();
    const agent = randomUUID();
    const from = await emit("agent_updated", [agent]);
    const { stream: reader } = await open(target.events, `/api/events?agent=${agent}&last_event_id=${from}`);
    const url = new URL(target.events);
    const slow = net.connect({ host: url.hostname, port: Number(url.port) });
    slow.write(`GET /api/events?agent=${agent} HTTP/1.1\r\nHost: ${url.host}\r\nAccept: text/event-stream\r\n\r\n`);
    slow.pause(); // never read: the kernel's buffers fill, then the server's
    await subscribersReach(2);
    const held = 2;
    const big = "x".repeat(64 * 1024);
    // Each frame is 64 KB: within a few hundred, any loopback buffer is full. The reader takes each frame before the
    // next is written (it never falls behind); the other one never reads. The loop ends at the drop.
    let last = from;
    for (let i = 0; i < 400 && hub.subscriberCount === held; i++) {
      last = await emit("agent_updated", [agent], { fields: [big] });
      await reader!.until(() => reader!.ids().includes(last), 30_000);
    }
    await subscribersReach(held - 1);
    const live = await emit("agent_updated", [agent]);
    await reader!.until(() => reader!.ids().includes(live));
    expect(reader!.ids().length).toBeGreaterThan(held);
    slow.destroy();
  });
});

describe("the stream server's dispatch", () => {
  it("hands every request that is not an event stream to Next's handler", async () => {
    const { events } = await listenerServer();
    for (const [method, path] of [
      ["GET", "/api/health"],
      ["POST", "/api/events"],
      ["GET", "/api/events/extra"],
      ["GET", "/api/executions/x/events/more"],
      ["GET", "/"],
    ] as const) {
      const res = await fetch(`${events}${path}`, { method });
      expect(res.headers.get("x-served-by"), `${method} ${path}`).toBe("next");
      expect(await res.text()).toBe(`next ${method} ${path}`);
    }
    const ac = new AbortController();
    const stream = await fetch(`${events}/api/events?type=agent_updated`, { signal: ac.signal });
    expect(stream.headers.get("x-served-by")).toBeNull();
    expect(stream.headers.get("content-type")).toMatch(/^text\/event-stream/);
    ac.abort();
  });
});

// Last in the file: from here on every request carries its peer address, so the per-address stream limit applies.
describe("the stream server's stream slots", () => {
  it("refuses a stream past the per-address limit with the route's 429 and gives the slot back on close", async () => {
    const { installPeerAddressHook } = await import("@/lib/api/peer-address");
    installPeerAddressHook();
    process.env.SSE_MAX_CONNECTIONS_PER_CLIENT = "1";
    reloadEnv();
    const { events } = await listenerServer();
    const first = await open(events, "/api/events");
    expect(first.res.status).toBe(200);
    expect(first.res.headers.get("ratelimit")).toBe('"streams";r=0');
    const refused = await fetch(`${events}/api/events`);
    expect(refused.status).toBe(429);
    expect(refused.headers.get("retry-after")).toBeTruthy();
    expect(await refused.json()).toMatchObject({ error: "RateLimitError", details: { limit: "streams", quota: 1 } });
    streams.splice(0).forEach((ac) => ac.abort());
    await subscribersReach(0);
    // The slot is deleted as the socket closes; a new stream gets it once that delete has committed.
    await vi.waitFor(
      async () => {
        const again = await open(events, "/api/events");
        expect(again.res.status).toBe(200);
      },
      { timeout: 10_000, interval: 50 },
    );
  });
});
