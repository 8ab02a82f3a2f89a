import http from "node:http";
import type { AddressInfo } from "node:net";
import { and, eq } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { agentSessions, events, invocations } from "@/db/schema";
import { reloadEnv } from "@/lib/env";
import { setAgentCoreClient } from "@/lib/invoke/client";
import { inFlightFor } from "@/lib/invoke/limits";
import { createAgent, createExecution } from "@/test/fixtures/invoke";
import { allEvents, sseReader } from "@/test/fixtures/sse";
import { generateSessionId } from "@/lib/invoke/transports/session-id";
import { startHostedAgent, type RunningAgent } from "@/test/doubles/agentcore/agent-host";
import { FAULTY_ARN, MARKDOWN_ARN, markdownPrompt, setupAgentCore, TEXT_STATS_ARN } from "@/test/fixtures/agentcore";
import { setupTestDatabase } from "@/test/db";
import { call } from "@/test/http";
import { GET as getMetrics } from "../../invocations/metrics/route";
import { GET as getSession } from "../../sessions/[sessionId]/route";
import { GET as listSessions } from "../../sessions/route";
import { POST } from "./route";

const db = setupTestDatabase();
const agentcore = setupAgentCore();
let caller: { id: string; key: string };
let other: { id: string; key: string };
let faulty: { id: string };
let httpAgent: { id: string };

const conn = () => db.current.database.db;

beforeAll(async () => {
  process.env.ONBOARDING_AGENT_ARN = MARKDOWN_ARN;
  process.env.MWC_AGENT_ARN = TEXT_STATS_ARN;
  // The operator allows the marketplace agent on FAULTY_ARN (the configured ARNs are allowed as such).
  process.env.AGENTCORE_ALLOWED_RUNTIME_ARNS = FAULTY_ARN;
  process.env.INVOKE_MAX_PROMPT_CHARS = "2000";
  process.env.INVOKE_MAX_CONCURRENT_PER_CALLER = "3";
  reloadEnv();
  // Start the agent programs first: a cold start is slower than the short idle timeout used here.
  await agentcore.warm(MARKDOWN_ARN, TEXT_STATS_ARN, FAULTY_ARN);
  setAgentCoreClient(agentcore.client());
  caller = await createAgent(conn());
  other = await createAgent(conn());
  faulty = await createAgent(conn(), { runtime: { kind: "agentcore", runtime_arn: FAULTY_ARN, transport: "ws" } });
  httpAgent = await createAgent(conn(), {
    runtime: { kind: "agentcore", runtime_arn: TEXT_STATS_ARN, transport: "http", qualifier: "DEFAULT" },
  });
});
afterAll(() => setAgentCoreClient(undefined));
afterEach(() => {
  agentcore.server.clearFaults();
  setAgentCoreClient(agentcore.client());
});

/** For the timeout cases: a short idle timeout, so that each timed-out attempt costs 300 ms, not seconds. */
const impatient = () => setAgentCoreClient(agentcore.client({ idleTimeoutMs: 300 }));

const invoke = (body: Record<string, unknown>, key = caller.key, headers: Record<string, string> = {}) =>
  call(POST, "/api/agents/invoke", { body, key, headers });

function streamRequest(body: Record<string, unknown>, key = caller.key): Request {
  return new Request("http://localhost/api/agents/invoke", {
    method: "POST",
    headers: { "content-type": "application/json", accept: "text/event-stream", "x-agent-key": key },
    body: JSON.stringify(body),
  });
}
const ctx = { params: Promise.resolve({}) };

/** Waits for a condition that another task makes true (fails after 5 s). */
async function waitFor(cond: () => boolean): Promise<void> {
  const until = Date.now() + 5000;
  while (!cond()) {
    if (Date.now() > until) throw new Error("condition not reached");
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe("POST /api/agents/invoke (JSON)", () => {
  it("answers a configured agent with the seed's contract and records session, metrics and event", async () => {
    const res = await invoke({ agentId: "onboarding", prompt: markdownPrompt("otter", 3) });
    expect(res.status).toBe(200);
    expect(Object.keys(res.body).sort()).toEqual(["metadata", "response", "sessionId"]);
    expect(res.body.response).toContain("otter");
    expect(res.body.sessionId.length).toBeGreaterThanOrEqual(33);
    expect(res.body.metadata).toEqual({ chunks: 3, duration: expect.any(Number) });

    const sid = res.body.sessionId as string;
    const [session] = await conn().select().from(agentSessions).where(eq(agentSessions.sessionId, sid));
    expect(session).toMatchObject({
      target: "config:onboarding",
      callerAgentId: caller.id,
      invocationCount: 1,
      title: "paragraph 0 of otter",
    });
    const rows = await conn().select().from(invocations).where(eq(invocations.sessionId, sid));
    expect(rows).toEqual([
      expect.objectContaining({ outcome: "ok", chunks: 3, transport: "ws", target: "config:onboarding" }),
    ]);
    expect(rows[0]!.firstChunkMs).not.toBeNull();
    const [event] = await conn()
      .select()
      .from(events)
      .where(and(eq(events.type, "agent_invoked"), eq(events.subjectId, sid)));
    expect(event!.data).toMatchObject({ target: "config:onboarding", session_id: sid, outcome: "ok", chunks: 3 });
    expect(JSON.stringify(event!.data)).not.toContain("otter");
    expect(event!.agentIds).toContain(caller.id);
  });

  it("continues a session over several invocations, lists it, and shows its invocations", async () => {
    const sid = generateSessionId();
    for (let n = 1; n <= 3; n++) {
      const res = await invoke({ agentId: "mwc", prompt: `hello number ${n}`, sessionId: sid });
      expect(res.status).toBe(200);
      expect(res.body.sessionId).toBe(sid);
      expect(res.body.response).toMatch(new RegExp(`^turn ${n}: `));
    }
    const list = await call(listSessions, "/api/sessions", { key: caller.key, query: { agent_id: "mwc" } });
    expect(list.status).toBe(200);
    expect(list.body.data).toEqual([
      expect.objectContaining({ session_id: sid, target: "config:mwc", invocation_count: 3 }),
    ]);
    const detail = await call(getSession, `/api/sessions/${sid}`, { key: caller.key, params: { sessionId: sid } });
    expect(detail.body.invocations).toHaveLength(3);
    expect(detail.body.invocations.every((t: { outcome: string }) => t.outcome === "ok")).toBe(true);
    // The transcript: each invocation's prompt and answer, in order, for this caller only.
    expect(detail.body.invocations.map((t: { prompt: string }) => t.prompt)).toEqual(
      [1, 2, 3].map((n) => `hello number ${n}`),
    );
    expect(detail.body.invocations.map((t: { answer: string }) => t.answer.slice(0, 7))).toEqual([
      "turn 1:",
      "turn 2:",
      "turn 3:",
    ]);
    // Another caller neither sees it nor can continue it.
    expect(
      (await call(getSession, `/api/sessions/${sid}`, { key: other.key, params: { sessionId: sid } })).status,
    ).toBe(404);
    const stolen = await invoke({ agentId: "mwc", prompt: "hi", sessionId: sid }, other.key);
    expect(stolen.status).toBe(404);
    expect(stolen.body).toMatchObject({
      error: "NotFoundError",
      details: { agentId: "mwc", sessionId: sid, retryable: false },
    });
    // The same caller cannot move it to another agent.
    expect((await invoke({ agentId: "onboarding", prompt: "hi", sessionId: sid })).status).toBe(409);
  });

  it("invokes a marketplace agent hosted on AgentCore over HTTP", async () => {
    const res = await invoke({ agentId: httpAgent.id, prompt: "marketplace words here" });
    expect(res.status).toBe(200);
    expect(res.body.response).toMatch(/^turn 1: 3 words/);
    const [row] = await conn().select().from(invocations).where(eq(invocations.sessionId, res.body.sessionId));
    expect(row).toMatchObject({ transport: "http", target: `agent:${httpAgent.id}` });
  });

  it("refuses what it must, in the seed's error format", async () => {
    expect((await call(POST, "/api/agents/invoke", { body: { agentId: "mwc", prompt: "x" } })).status).toBe(401);
    const noScope = await createAgent(conn(), { scopes: ["jobs:read"] });
    expect((await invoke({ agentId: "mwc", prompt: "x" }, noScope.key)).status).toBe(403);
    const unknown = await invoke({ agentId: "nobody", prompt: "x" });
    expect(unknown.status).toBe(404);
    expect(unknown.body).toEqual({
      error: "NotFoundError",
      message: "Agent not found",
      details: { agentId: "nobody", retryable: false },
    });
    expect((await invoke({ agentId: caller.id, prompt: "x" })).status).toBe(404); // an agent with no AgentCore runtime
    expect((await invoke({ agentId: "provisioning", prompt: "x" })).status).toBe(404); // not configured here
    expect((await invoke({ agentId: "mwc" })).status).toBe(400);
    const short = await invoke({ agentId: "mwc", prompt: "x", sessionId: "session-1234567890-abc123" });
    expect(short.status).toBe(400);
    expect(short.body.details).toMatchObject({
      agentId: "mwc",
      sessionId: "session-1234567890-abc123",
      retryable: false,
    });
    const big = await invoke({ agentId: "mwc", prompt: "x".repeat(2001) });
    expect(big.status).toBe(413);
    expect(big.body.details.limit_chars).toBe(2000);
  });

  it("maps a persistent 503 to a retryable 503 with Retry-After, and never shows the credentials", async () => {
    const logged: string[] = [];
    const spies = (["log", "error", "warn", "info"] as const).map((m) =>
      vi.spyOn(console, m).mockImplementation((...args: unknown[]) => void logged.push(args.map(String).join(" "))),
    );
    try {
      agentcore.server.setFault({ kind: "unavailable", count: Infinity, arn: FAULTY_ARN });
      const res = await invoke({ agentId: faulty.id, prompt: "hello" });
      expect(res.status).toBe(503);
      expect(res.headers.get("retry-after")).toBe("1");
      expect(res.body).toMatchObject({
        error: "ServiceUnavailableError",
        details: { agentId: faulty.id, sessionId: expect.any(String), retryable: true, retryAfter: 1 },
      });
      const text = JSON.stringify(res.body) + logged.join("\n");
      expect(text).not.toContain(agentcore.credentials.secretAccessKey);
      expect(text).not.toContain(agentcore.credentials.accessKeyId);
      const [row] = await conn()
        .select()
        .from(invocations)
        .where(eq(invocations.sessionId, res.body.details.sessionId));
      expect(row!.outcome).toBe("ServiceUnavailableError");
    } finally {
      spies.forEach((s) => s.mockRestore());
    }
  });

  it("answers 504 on a timeout and 200 incomplete on a dropped stream", async () => {
    impatient();
    agentcore.server.setFault({ kind: "timeout", count: Infinity, arn: FAULTY_ARN });
    const timeout = await invoke({ agentId: faulty.id, prompt: "hello" });
    expect(timeout.status).toBe(504);
    expect(timeout.body).toMatchObject({ error: "TimeoutError", details: { retryable: true } });
    agentcore.server.clearFaults();
    agentcore.server.setFault({ kind: "drop", afterChunks: 1, arn: FAULTY_ARN });
    const dropped = await invoke({ agentId: faulty.id, prompt: markdownPrompt("gull", 3) });
    expect(dropped.status).toBe(200);
    expect(dropped.body).toMatchObject({
      incomplete: true,
      response: "<p>paragraph 0 of gull</p>\n",
      metadata: { chunks: 1 },
    });
  });
});

describe("POST /api/agents/invoke (streaming)", () => {
  it("forwards each chunk as an SSE event, then done with the metadata", async () => {
    const res = await POST(streamRequest({ agentId: "onboarding", prompt: markdownPrompt("heron", 3) }), ctx);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/event-stream/);
    const evs = await allEvents(res);
    expect(evs.map((e) => e.event)).toEqual(["chunk", "chunk", "chunk", "done"]);
    expect(evs.slice(0, 3).map((e) => (e.data as { chunk: string }).chunk)).toEqual(
      [0, 1, 2].map((i) => `<p>paragraph ${i} of heron</p>\n`),
    );
    expect(evs[3]!.data).toMatchObject({
      sessionId: expect.any(String),
      metadata: { chunks: 3, duration: expect.any(Number) },
    });
  });

  it("delivers chunks while the agent is still answering (not buffered to the end)", async () => {
    impatient();
    // The endpoint relays 2 chunks and then stalls: the caller must already hold both before the answer ends.
    agentcore.server.setFault({ kind: "timeout", afterChunks: 2, arn: FAULTY_ARN });
    const res = await POST(streamRequest({ agentId: faulty.id, prompt: markdownPrompt("wren", 4) }), ctx);
    const reader = sseReader(res);
    const first = await reader.next();
    const second = await reader.next();
    expect([first?.event, second?.event]).toEqual(["chunk", "chunk"]);
    const sid = (
      await conn()
        .select()
        .from(agentSessions)
        .where(eq(agentSessions.target, `agent:${faulty.id}`))
    ).map((s) => s.sessionId);
    const finished = await conn()
      .select()
      .from(invocations)
      .where(eq(invocations.target, `agent:${faulty.id}`));
    const before = finished.length;
    // Still in flight: no metrics row for this invocation yet.
    expect(sid.length).toBeGreaterThan(0);
    const done = await reader.next();
    expect(done).toMatchObject({ event: "done", data: { incomplete: true, metadata: { chunks: 2 } } });
    expect(await reader.next()).toBeNull();
    const after = await conn()
      .select()
      .from(invocations)
      .where(eq(invocations.target, `agent:${faulty.id}`));
    expect(after.length).toBe(before + 1);
    expect(after.some((r) => r.outcome === "incomplete" && r.chunks === 2)).toBe(true);
  });

  it("stops relaying when the caller stops, and keeps the answer as far as it came in the transcript", async () => {
    const stopper = await createAgent(conn());
    agentcore.server.setFault({ kind: "timeout", afterChunks: 1, count: Infinity, arn: FAULTY_ARN });
    const res = await POST(streamRequest({ agentId: faulty.id, prompt: markdownPrompt("kite", 3) }, stopper.key), ctx);
    const reader = sseReader(res);
    expect(await reader.next()).toMatchObject({ event: "chunk", data: { chunk: "<p>paragraph 0 of kite</p>\n" } });
    await reader.cancel();
    await waitFor(() => inFlightFor(`agent:${stopper.id}`) === 0);
    const [session] = await conn().select().from(agentSessions).where(eq(agentSessions.callerAgentId, stopper.id));
    const sid = session!.sessionId;
    // The slot is released only after the invocation is recorded (service.ts), so the invocation is there now.
    const detail = await call(getSession, `/api/sessions/${sid}`, { key: stopper.key, params: { sessionId: sid } });
    expect(detail.body.invocations).toEqual([
      expect.objectContaining({
        outcome: "cancelled",
        prompt: markdownPrompt("kite", 3),
        answer: "<p>paragraph 0 of kite</p>\n",
      }),
    ]);
  });

  it("streams an error event when the runtime stays unavailable", async () => {
    agentcore.server.setFault({ kind: "unavailable", count: Infinity, arn: FAULTY_ARN });
    const evs = await allEvents(await POST(streamRequest({ agentId: faulty.id, prompt: "hi" }), ctx));
    expect(evs).toEqual([
      expect.objectContaining({
        event: "error",
        data: expect.objectContaining({
          error: "ServiceUnavailableError",
          details: expect.objectContaining({ retryable: true }),
        }),
      }),
    ]);
  });

  it("limits concurrent invocations per caller (429 with Retry-After), and frees the slot when a caller leaves", async () => {
    const busy = await createAgent(conn());
    agentcore.server.setFault({ kind: "timeout", count: Infinity, arn: FAULTY_ARN });
    const open = await Promise.all(
      [1, 2, 3].map(() => POST(streamRequest({ agentId: faulty.id, prompt: "wait" }, busy.key), ctx)),
    );
    expect(open.map((r) => r.status)).toEqual([200, 200, 200]);
    const refused = await invoke({ agentId: "mwc", prompt: "one more" }, busy.key);
    expect(refused.status).toBe(429);
    expect(refused.headers.get("retry-after")).toBe("1");
    expect(refused.body).toMatchObject({ error: "RateLimitError", details: { retryable: true, retryAfter: 1 } });
    // Another caller is not affected.
    expect((await invoke({ agentId: "mwc", prompt: "meanwhile" }, other.key)).status).toBe(200);
    // The callers go away: their upstream sockets close and their slots free up.
    await Promise.all(open.map((r) => r.body!.cancel()));
    await waitFor(() => inFlightFor(`agent:${busy.id}`) === 0);
    const theirs = await conn().select().from(agentSessions).where(eq(agentSessions.callerAgentId, busy.id));
    const outcomes = await Promise.all(
      theirs.map(
        async (t) =>
          (await conn().select().from(invocations).where(eq(invocations.sessionId, t.sessionId)))[0]?.outcome,
      ),
    );
    expect(outcomes).toEqual(["cancelled", "cancelled", "cancelled"]);
    agentcore.server.clearFaults();
    expect((await invoke({ agentId: "mwc", prompt: "now it fits" }, busy.key)).status).toBe(200);
  });
});

describe("running executions", () => {
  let agentProcess: RunningAgent;
  beforeAll(async () => {
    agentProcess = await startHostedAgent({ artifact: "text-stats" });
  });
  afterAll(async () => agentProcess?.stop());

  it("invokes a running execution the caller started, through its /ws", async () => {
    const owner = await createAgent(conn());
    const executionId = await createExecution(conn(), {
      agentId: owner.id,
      startedByAgentId: caller.id,
      endpoint: agentProcess.origin,
    });
    const sid = generateSessionId();
    const r1 = await invoke({ agentId: executionId, prompt: "run words", sessionId: sid });
    expect(r1.status).toBe(200);
    expect(r1.body.response).toMatch(/^turn 1: 2 words/);
    const r2 = await invoke({ agentId: executionId, prompt: "run words", sessionId: sid });
    expect(r2.body.response).toMatch(/^turn 2: /);
    // The agent itself may invoke its execution; a stranger may not even learn it exists.
    expect((await invoke({ agentId: executionId, prompt: "mine" }, owner.key)).status).toBe(200);
    expect((await invoke({ agentId: executionId, prompt: "x" }, other.key)).status).toBe(404);
    const stopped = await createExecution(conn(), {
      agentId: owner.id,
      startedByAgentId: caller.id,
      endpoint: null,
      status: "completed",
    });
    expect((await invoke({ agentId: stopped, prompt: "x" })).status).toBe(409);
  });

  it("falls back to POST /invocations for an execution that does not serve /ws", async () => {
    // A minimal agent-contract server without /ws: SSE over POST /invocations only.
    const plain = http.createServer((req, res) => {
      if (req.method !== "POST" || req.url !== "/invocations") return void res.writeHead(404).end();
      let body = "";
      req.on("data", (c: Buffer) => (body += c.toString()));
      req.on("end", () => {
        const { prompt, sessionId } = JSON.parse(body) as { prompt: string; sessionId: string };
        res.writeHead(200, { "content-type": "text/event-stream" });
        res.write(`data: ${JSON.stringify({ chunk: `echo:${prompt}` })}\n\n`);
        res.end(`data: ${JSON.stringify({ chunk: `|${sessionId.length}` })}\n\ndata: [DONE]\n\n`);
      });
    });
    await new Promise<void>((r) => plain.listen(0, "127.0.0.1", r));
    try {
      const owner = await createAgent(conn());
      const { port } = plain.address() as AddressInfo;
      const executionId = await createExecution(conn(), {
        agentId: owner.id,
        startedByAgentId: caller.id,
        endpoint: `http://127.0.0.1:${port}`,
      });
      for (let i = 0; i < 2; i++) {
        const res = await invoke({ agentId: executionId, prompt: "ping" });
        expect(res.status).toBe(200);
        expect(res.body).toMatchObject({ response: `echo:ping|${res.body.sessionId.length}`, metadata: { chunks: 2 } });
      }
    } finally {
      plain.closeAllConnections();
      plain.close();
    }
  });
});

describe("GET /api/invocations/metrics", () => {
  it("summarises invocations, percentiles, chunks and errors by type, overall and per target", async () => {
    const res = await call(getMetrics, "/api/invocations/metrics", { key: caller.key });
    expect(res.status).toBe(200);
    const m = res.body;
    expect(m.invocations).toBeGreaterThanOrEqual(10);
    expect(m.errors_by_type).toMatchObject({
      ServiceUnavailableError: expect.any(Number),
      TimeoutError: expect.any(Number),
    });
    expect(m.incomplete).toBeGreaterThanOrEqual(2);
    expect(m.duration_ms.p50).toBeLessThanOrEqual(m.duration_ms.p95);
    expect(m.duration_ms.p95).toBeLessThanOrEqual(m.duration_ms.p99);
    expect(m.first_chunk_ms.p50).not.toBeNull();
    expect(m.ok + m.incomplete + m.errors + (m.invocations - m.ok - m.incomplete - m.errors)).toBe(m.invocations);
    const mwc = m.targets.find((t: { target: string }) => t.target === "config:mwc");
    expect(mwc).toMatchObject({ errors: 0, chunks: { total: mwc.invocations } });
    const only = await call(getMetrics, "/api/invocations/metrics", {
      key: caller.key,
      query: { target: "config:mwc" },
    });
    expect(only.body.invocations).toBe(mwc.invocations);
    expect(only.body.targets).toHaveLength(1);
    expect((await call(getMetrics, "/api/invocations/metrics")).status).toBe(401);
  });
});
