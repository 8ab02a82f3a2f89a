import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { POST as rollbackRoute } from "@/app/api/agents/[id]/deployments/[deploymentId]/rollback/route";
import { POST as invokeRoute } from "@/app/api/agents/invoke/route";
import { getDb } from "@/db/client";
import { agentSessions } from "@/db/schema";
import { setupTestDatabase } from "@/test/db";
import { setupAwsDoubles } from "@/test/fixtures/aws-deploy";
import { markdownPrompt } from "@/test/fixtures/agentcore";
import {
  createVersion,
  ownedAgent,
  routeOf,
  settled,
  startDeployment,
  waitInObserve,
} from "@/test/fixtures/deployments";
import { SseParser } from "@/lib/events/sse-parse";
import { waitFor } from "@/test/fixtures/runtime";
import { call } from "@/test/http";

/*
 * The invoke contract (POST /api/agents/invoke, lib/api/contracts/invoke.ts) against agents deployed on AgentCore: the router picks the
 * version, the signed transport (InvokeAgentRuntime) invokes the endpoint it names (qualifier), the answer streams, sessions
 * continue, errors keep their kind, and a session stays on the version that started it across a canary's shift.
 */

setupTestDatabase();
const aws = setupAwsDoubles();

type Owned = Awaited<ReturnType<typeof ownedAgent>>;

async function live(t: Owned, artifact: string) {
  const v = await createVersion(t.agent.id, artifact);
  const d = await settled(
    await startDeployment({ agentId: t.agent.id, versionId: v.id, strategy: "initial", host: "agentcore" }),
  );
  expect(d.reason).toBeNull();
  expect(d.status).toBe("deployed");
  return v;
}

const invoke = (t: Owned, prompt: string, sessionId?: string, stream = false) =>
  call(invokeRoute, "/api/agents/invoke", {
    key: t.strangerKey,
    body: { agentId: t.agent.id, prompt, ...(sessionId ? { sessionId } : {}) },
    ...(stream ? { headers: { accept: "text/event-stream" } } : {}),
  });

/** The events of a streamed answer (the route's SSE text). */
function eventsOf(text: string) {
  return new SseParser()
    .push(new TextEncoder().encode(text))
    .filter((f) => f.data !== undefined)
    .map((f) => ({ event: f.event ?? "message", data: JSON.parse(f.data!) as Record<string, unknown> }));
}

const runtimeArnOf = (agentId: string) =>
  [...aws.control.runtimes.values()].find((r) => r.name === `agentmarket_${agentId.replace(/-/g, "")}`)!.arn;

describe("POST /api/agents/invoke on a deployed AgentCore agent", () => {
  it("streams the answer chunk by chunk from the routed endpoint over the signed transport", async () => {
    const t = await ownedAgent();
    await live(t, "markdown");
    const before = aws.data.calls.length;
    const res = await invoke(t, markdownPrompt("tok", 3), undefined, true);
    expect(res.status).toBe(200);
    const events = eventsOf(res.body as string);
    const chunks = events.filter((e) => e.event === "chunk").map((e) => (e.data as { chunk: string }).chunk);
    expect(chunks).toHaveLength(3);
    chunks.forEach((c, i) => expect(c).toContain(`paragraph ${i} of tok`));
    const done = events.at(-1)!;
    expect(done.event).toBe("done");
    expect(done.data).toMatchObject({ metadata: { chunks: 3 } });
    const runtimeArn = runtimeArnOf(t.agent.id);
    expect(aws.data.calls.slice(before)).toEqual([
      {
        arn: runtimeArn,
        sessionId: (done.data as { sessionId: string }).sessionId,
        qualifier: "prod",
        transport: "http",
      },
    ]);
    const json = await invoke(t, markdownPrompt("again", 2));
    expect(json.status).toBe(200);
    expect(json.body.metadata.chunks).toBe(2);
    expect(json.body.response).toContain("paragraph 1 of again");
  });

  it("continues a session: the same AgentCore session answers the next call; another session starts over", async () => {
    const t = await ownedAgent();
    await live(t, "text-stats");
    const first = await invoke(t, "one two");
    expect(first.status).toBe(200);
    const sessionId = first.body.sessionId as string;
    const second = await invoke(t, "three", sessionId);
    expect(second.status).toBe(200);
    expect(second.body.sessionId).toBe(sessionId);
    expect(first.body.response).toMatch(/turn 1\b/);
    expect(second.body.response).toMatch(/turn 2\b/);
    const other = await invoke(t, "four");
    expect(other.body.sessionId).not.toBe(sessionId);
    expect(other.body.response).toMatch(/turn 1\b/);
  });

  it("keeps the error taxonomy: unavailable is a retryable 503, a stalled runtime a 504, a broken stream incomplete", async () => {
    const t = await ownedAgent();
    await live(t, "markdown");
    const arn = runtimeArnOf(t.agent.id);
    aws.data.setFault({ kind: "unavailable", arn, count: 10 });
    const busy = await invoke(t, "# hi");
    aws.data.clearFaults();
    expect(busy.status).toBe(503);
    expect(busy.body).toMatchObject({
      error: "ServiceUnavailableError",
      details: { agentId: t.agent.id, retryable: true },
    });
    expect(busy.headers.get("retry-after")).toBeTruthy();

    aws.data.setFault({ kind: "timeout", arn, count: 10 });
    const stalled = await invoke(t, "# hi");
    aws.data.clearFaults();
    expect(stalled.status).toBe(504);
    expect(stalled.body).toMatchObject({ error: "TimeoutError", details: { retryable: true } });

    aws.data.setFault({ kind: "drop", afterChunks: 1, arn });
    const broken = await invoke(t, markdownPrompt("cut", 3));
    expect(broken.status).toBe(200);
    expect(broken.body).toMatchObject({ incomplete: true, metadata: { chunks: 1 } });

    const strangers = await call(invokeRoute, "/api/agents/invoke", {
      key: t.key,
      body: { agentId: t.agent.id, prompt: "x", sessionId: broken.body.sessionId },
    });
    expect(strangers.status).toBe(404); // another caller's session
    const ok = await invoke(t, "# fine");
    expect(ok.status).toBe(200);
  });

  it("keeps a session on the version that started it while a canary shifts traffic; new sessions follow the weights", async () => {
    const t = await ownedAgent();
    const v1 = await live(t, "steady");
    const a = await invoke(t, "a1");
    expect(a.body.response).toBe(`steady ${v1.version}: a1`);
    const sessionA = a.body.sessionId as string;
    const v2 = await createVersion(t.agent.id, "steady");
    const canary = await startDeployment({
      agentId: t.agent.id,
      versionId: v2.id,
      strategy: "canary",
      host: "agentcore",
      config: {
        canary: {
          traffic_percentage: 50,
          duration: 10,
          success_criteria: { error_rate_threshold: 0.5, latency_threshold: 5000 },
        },
      },
    });
    await waitInObserve(canary);
    const weights = (await routeOf(t.agent.id))!.weights;
    expect(Object.fromEntries(weights.map((w) => [w.version_id, w.weight]))).toEqual({ [v1.id]: 50, [v2.id]: 50 });
    for (let i = 0; i < 8; i++) {
      const r = await invoke(t, `a${i + 2}`, sessionA);
      expect(r.body.response).toBe(`steady ${v1.version}: a${i + 2}`);
    }
    // New sessions are spread by the weights: one lands on the canary soon.
    let sessionB: string | null = null;
    for (let i = 0; i < 40 && !sessionB; i++) {
      const r = await invoke(t, "b");
      if (r.body.response === `steady ${v2.version}: b`) sessionB = r.body.sessionId as string;
    }
    expect(sessionB).not.toBeNull();
    for (let i = 0; i < 8; i++) {
      expect((await invoke(t, "b+", sessionB!)).body.response).toBe(`steady ${v2.version}: b+`);
    }
    const db = await getDb();
    const pinned = async (s: string) =>
      (await db.select().from(agentSessions).where(eq(agentSessions.sessionId, s)))[0]?.versionId;
    expect(await pinned(sessionA)).toBe(v1.id);
    expect(await pinned(sessionB!)).toBe(v2.id);

    // The canary rolled back: its version serves no more, so its sessions move to the live one, and stay there.
    const back = await call(rollbackRoute, `/api/agents/${t.agent.id}/deployments/${canary}/rollback`, {
      headers: t.owner.headers,
      params: { id: t.agent.id, deploymentId: canary },
      body: {},
    });
    expect(back.status).toBe(200);
    expect((await settled(canary)).status).toBe("rolled_back");
    const moved = await waitFor(async () => {
      const r = await invoke(t, "b after", sessionB!);
      return r.body.response === `steady ${v1.version}: b after` ? r : undefined;
    }, "session B answered by the live version");
    expect(moved.body.sessionId).toBe(sessionB);
    expect(await pinned(sessionB!)).toBe(v1.id);
  });
});
