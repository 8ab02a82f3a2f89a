import http from "node:http";
import type { AddressInfo } from "node:net";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { POST as invokeRoute } from "@/app/api/agents/invoke/route";
import { POST as createKeyRoute } from "@/app/api/agents/me/keys/route";
import { executions } from "@/db/schema";
import { inTransaction } from "@/lib/db";
import { getEventHub } from "@/lib/events/hub";
import { appendEvent } from "@/lib/events/log";
import { setupEventSubscriptions } from "@/test/fixtures/event-stream";
import { createExecution } from "@/test/fixtures/invoke";
import { registerAgent } from "@/lib/market/agents";
import { createAgent, createService, createUser, type UserFixture } from "@/test/fixtures/market";
import { fund } from "@/test/fixtures/ledger";
import { api } from "@/test/fixtures/job-routes";
import { appendExecutionEvent } from "@/lib/runtime/lifecycle";
import { setupTestDatabase } from "@/test/db";
import { call } from "@/test/http";
import { GET } from "./route";

const db = setupTestDatabase();
const conn = () => db.current.database.db;

const openEvents = setupEventSubscriptions(GET);

async function subscribe(query = "", headers: Record<string, string> = {}) {
  const { res, stream } = await openEvents(query, headers);
  expect(res.status).toBe(200);
  return stream;
}

/** A public event every subscriber receives: once a stream has it, it has everything before it. */
function marker(agentId: string) {
  return inTransaction((tx) =>
    appendEvent(tx, { type: "agent_updated", agentIds: [agentId], subjectType: "agent", subjectId: agentId, data: {} }),
  );
}

const PRIVATE_SUBJECTS = ["job", "message", "execution", "session", "api_key"];

/** A minimal agent-contract server (POST /invocations, SSE), standing in for a running execution. */
async function echoAgent(): Promise<http.Server> {
  const server = http.createServer((req, res) => {
    if (req.method !== "POST" || req.url !== "/invocations") return void res.writeHead(404).end();
    req.resume();
    req.on("end", () => {
      res.writeHead(200, { "content-type": "text/event-stream" });
      res.end(`data: ${JSON.stringify({ chunk: "ok" })}\n\ndata: [DONE]\n\n`);
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return server;
}

describe("GET /api/events: who receives what", () => {
  let owner: UserFixture;
  let worker: Awaited<ReturnType<typeof createAgent>>;
  let client: Awaited<ReturnType<typeof createAgent>>;
  let stranger: Awaited<ReturnType<typeof createAgent>>;
  let serviceId: string;
  let agentServer: http.Server;

  beforeAll(async () => {
    owner = await createUser(conn());
    worker = await createAgent(conn(), { ownerUserId: owner.user.id });
    client = await createAgent(conn());
    stranger = await createAgent(conn());
    await fund(client, 1_000_000);
    serviceId = (await createService(conn(), worker.agent.id)).id;
    agentServer = await echoAgent();
  });
  afterAll(() => {
    agentServer?.closeAllConnections();
    agentServer?.close();
  });

  it("tells a stranger only the catalogue, and each party the private events it is party to", async () => {
    const w = worker.agent.id;
    const anonymous = await subscribe();
    const nonParty = await subscribe("", { "x-agent-key": stranger.key });
    const widening = await subscribe(`?agent=${w}`, { "x-agent-key": stranger.key });
    const asClient = await subscribe("", { "x-agent-key": client.key });
    const asWorker = await subscribe("", { "x-agent-key": worker.key });
    const asOwner = await subscribe("", owner.headers);
    const hub = await getEventHub();
    await vi.waitFor(() => expect(hub.subscriberCount).toBe(6));

    // A job is hired, started and delivered (with its automatic messages).
    const hired = await api.hire({ key: client.key }, { service_id: serviceId, title: "Private work" });
    expect(hired.status).toBe(201);
    const jobId = hired.body.id as string;
    expect((await api.act({ key: worker.key }, "start", jobId)).status).toBe(200);
    expect((await api.act({ key: worker.key }, "deliver", jobId, { content: "secret result" })).status).toBe(200);
    // An execution of the worker, started by the client, and a session invoking it.
    const executionId = await createExecution(conn(), {
      agentId: w,
      startedByAgentId: client.agent.id,
      endpoint: `http://127.0.0.1:${(agentServer.address() as AddressInfo).port}`,
    });
    await inTransaction(async (tx) => {
      const [row] = await tx.select().from(executions).where(eq(executions.id, executionId));
      await appendExecutionEvent(tx, { ...row!, status: "starting" });
    });
    const invoked = await call(invokeRoute, "/api/agents/invoke", {
      key: client.key,
      body: { agentId: executionId, prompt: "hello" },
    });
    expect(invoked.status).toBe(200);
    // The worker makes itself a new key.
    const key = await call(createKeyRoute, "/api/agents/me/keys", { key: worker.key, body: { name: "rotation" } });
    expect(key.status).toBe(201);
    const end = await marker(w);

    for (const s of [anonymous, nonParty, widening, asClient, asWorker, asOwner]) {
      await s.until(() => s.ids().includes(end));
    }
    const seen = (s: typeof anonymous) => s.events().map((f) => JSON.parse(f.data!) as Record<string, any>);
    const subjects = (s: typeof anonymous) => new Set(seen(s).map((e) => e.subject_type));

    // Strangers: nothing about the job, its messages, the execution, the session or the key.
    for (const s of [anonymous, nonParty, widening]) {
      for (const e of seen(s)) expect(PRIVATE_SUBJECTS).not.toContain(e.subject_type);
      expect(JSON.stringify(s.frames)).not.toContain(jobId);
      expect(JSON.stringify(s.frames)).not.toContain(executionId);
      expect(JSON.stringify(s.frames)).not.toContain(invoked.body.sessionId);
      expect(JSON.stringify(s.frames)).not.toContain(key.body.id);
    }
    // What they do learn: that jobs changed (the public statistics), never which.
    const stats = seen(anonymous).filter((e) => e.type === "stats_changed");
    expect(stats.length).toBeGreaterThan(0);
    for (const e of stats)
      expect(e).toMatchObject({ subject_type: "stats", agent_ids: [], data: { subjects: ["job"] } });
    // ?agent= of someone else's agent narrows to the public events about it; it does not widen.
    expect(seen(widening).map((e) => e.id)).toEqual([end]);

    // The client: its job, the job's messages, the execution it started and its session; not the worker's key.
    const clientTypes = seen(asClient).map((e) => e.type);
    expect(clientTypes).toEqual(
      expect.arrayContaining([
        "job_created",
        "job_started",
        "job_delivered",
        "message_created",
        "execution_started",
        "agent_invoked",
      ]),
    );
    expect(clientTypes).not.toContain("api_key_created");
    // The worker's key and its owner's session: all of it, the new key included.
    for (const s of [asWorker, asOwner]) {
      expect(subjects(s)).toEqual(new Set([...PRIVATE_SUBJECTS, "agent", "stats"]));
      expect(seen(s).find((e) => e.type === "api_key_created")?.data.key_id).toBe(key.body.id);
      expect(
        seen(s)
          .filter((e) => e.subject_id === jobId)
          .map((e) => e.type),
      ).toEqual(["job_created", "job_started", "job_delivered"]);
    }
  });

  it("lets a key see only the subjects its scopes allow", async () => {
    const limited = await createAgent(conn(), { scopes: ["inbox:read"] });
    const stream = await subscribe("", { "x-agent-key": limited.key });
    const hub = await getEventHub();
    await vi.waitFor(() => expect(hub.subscriberCount).toBe(1));
    const service = await createService(conn(), limited.agent.id);
    const hired = await api.hire({ key: client.key }, { service_id: service.id, title: "t" });
    expect(hired.status).toBe(201);
    const end = await marker(limited.agent.id);
    await stream.until(() => stream.ids().includes(end));
    // inbox:read: the message about the new job, not the job itself (jobs:read).
    expect(stream.events().map((f) => f.event)).toEqual(["message_created", "stats_changed", "agent_updated"]);
  });

  it("resumes exactly under ?agent= and the caller's audience", async () => {
    const w = worker.agent.id;
    const before = await marker(w);
    const ids: number[] = [];
    for (let i = 0; i < 4; i++) {
      const hired = await api.hire({ key: client.key }, { service_id: serviceId, title: `job ${i}` });
      expect(hired.status).toBe(201);
    }
    const end = await marker(w);
    // The full sequence the owner may see about the worker, then a resume from its middle.
    const full = await subscribe(`?agent=${w}`, { ...owner.headers, "last-event-id": String(before) });
    await full.until(() => full.ids().includes(end));
    ids.push(...full.ids());
    expect(ids.length).toBe(4 * 2 + 1); // job_created and message_created per hire, then the marker
    const cut = ids[3]!;
    const resumed = await subscribe(`?agent=${w}&last_event_id=${cut}`, owner.headers);
    await resumed.until(() => resumed.ids().includes(end));
    expect(resumed.ids()).toEqual(ids.slice(4));
    // A stranger resuming from the same point under the same filter gets the public rest only.
    const strangerResume = await subscribe(`?agent=${w}&last_event_id=${before}`, { "x-agent-key": stranger.key });
    await strangerResume.until(() => strangerResume.ids().includes(end));
    expect(strangerResume.ids()).toEqual([end]);
  });

  it("carries no private field in a catalogue event", async () => {
    const stream = await subscribe();
    const hub = await getEventHub();
    await vi.waitFor(() => expect(hub.subscriberCount).toBe(1));
    const { agent, key } = await registerAgent(
      { name: "Catalogued", description: "d", capabilities: ["x"], category: "other" },
      owner.user.id,
    );
    await stream.until(() => stream.events().some((f) => f.event === "agent_registered"));
    const end = await marker(agent.id);
    await stream.until(() => stream.ids().includes(end));
    const frames = stream.events();
    expect(frames.map((f) => f.event)).toEqual(["agent_registered", "agent_updated"]); // not api_key_created
    const registered = JSON.parse(frames[0]!.data!);
    expect(Object.keys(registered.data).sort()).toEqual(["capabilities", "category", "name", "owner_user_id"]);
    const text = JSON.stringify(frames);
    expect(text).not.toContain(key);
    expect(text).not.toContain(owner.user.email);
  });

  it("rejects a bad key even on this public stream (never silently anonymous)", async () => {
    const res = await call(GET, "/api/events", { key: "agmkt_sk_not_a_real_key_000000" });
    expect(res.status).toBe(401);
  });
});
