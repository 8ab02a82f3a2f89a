import { TaskState, type StreamResponse } from "@a2a-js/sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { reloadEnv } from "@/lib/env";
import { stopEventHub } from "@/lib/events/hub";
import { setAgentCoreClient } from "@/lib/invoke/client";
import { data, message, rpc, serveA2A, text, v1Client } from "@/test/fixtures/a2a";
import { MARKDOWN_ARN, markdownPrompt, setupAgentCore, TEXT_STATS_ARN } from "@/test/fixtures/agentcore";
import { fund } from "@/test/fixtures/ledger";
import { createAgent, createService, type AgentFixture } from "@/test/fixtures/market";
import { setupTestDatabase } from "@/test/db";
import type { ServedRoute } from "@/test/serve-route";

/**
 * SendMessage naming no skill to an invocable agent (here on the local AgentCore endpoint) is an invocation with
 * the invoke contract (lib/api/contracts/invoke.ts): the text is the prompt, the context id the session; SendStreamingMessage streams the
 * answer's chunks as they arrive. A message with a data part still hires the agent's only service.
 */

const holder = setupTestDatabase();
const db = () => holder.current.database.db;
const agentcore = setupAgentCore();
let served: ServedRoute;
let markdown: AgentFixture;
let stats: AgentFixture;
let caller: AgentFixture;

beforeAll(async () => {
  process.env.AGENTCORE_ALLOWED_RUNTIME_ARNS = `${MARKDOWN_ARN},${TEXT_STATS_ARN}`;
  reloadEnv();
  await agentcore.warm(MARKDOWN_ARN, TEXT_STATS_ARN);
  setAgentCoreClient(agentcore.client());
  markdown = await createAgent(db(), { runtime: { kind: "agentcore", runtime_arn: MARKDOWN_ARN, transport: "ws" } });
  stats = await createAgent(db(), {
    runtime: { kind: "agentcore", runtime_arn: TEXT_STATS_ARN, transport: "http", qualifier: "DEFAULT" },
  });
  caller = await createAgent(db(), { name: "Caller" });
  served = await serveA2A();
});
afterAll(async () => {
  setAgentCoreClient(undefined);
  delete process.env.AGENTCORE_ALLOWED_RUNTIME_ARNS;
  reloadEnv();
  await stopEventHub();
  await served.close();
});

const cardOf = (a: AgentFixture) => `/api/agents/${a.agent.id}/a2a/agent-card.json`;

describe("A2A to an invocable agent", () => {
  it("SendMessage without a skill invokes it; the context id is the session and continues it", async () => {
    const a2a = await v1Client(caller, served.url, cardOf(stats));
    const first = await a2a.sendMessage(message([text("run words")]));
    if ("status" in first) throw new Error("expected a message, not a task");
    const said = first.parts[0]?.content;
    expect(said?.$case === "text" && said.value).toMatch(/^turn 1: 2 words/);
    expect(first.contextId.length).toBeGreaterThanOrEqual(33);

    const second = await a2a.sendMessage(message([text("run words")], { contextId: first.contextId }));
    if ("status" in second) throw new Error("expected a message");
    const again = second.parts[0]?.content;
    expect(again?.$case === "text" && again.value).toMatch(/^turn 2: /);
    expect(second.contextId).toBe(first.contextId);
  });

  it("SendStreamingMessage streams the answer chunk by chunk, then completes with the whole answer", async () => {
    const a2a = await v1Client(caller, served.url, cardOf(markdown));
    const events: StreamResponse[] = [];
    for await (const e of a2a.sendMessageStream(message([text(markdownPrompt("otter", 3))]))) events.push(e);

    const [head, ...rest] = events;
    expect(head?.payload?.$case).toBe("task");
    const chunks = rest.flatMap((e) => (e.payload?.$case === "artifactUpdate" ? [e.payload.value] : []));
    expect(chunks).toHaveLength(3);
    expect(chunks.map((c) => c.append)).toEqual([false, true, true]);
    const last = events.at(-1)?.payload;
    if (last?.$case !== "statusUpdate") throw new Error("the stream ends with a status update");
    expect(last.value.status?.state).toBe(TaskState.TASK_STATE_COMPLETED);
    const whole = last.value.status?.message?.parts[0]?.content;
    const streamed = chunks.map((c) => {
      const p = c.artifact?.parts[0]?.content;
      return p?.$case === "text" ? p.value : "";
    });
    expect(whole?.$case === "text" && whole.value).toBe(streamed.join(""));
    expect(streamed.join("")).toContain("otter");
    expect(last.value.contextId.length).toBeGreaterThanOrEqual(33);
  });

  it("needs the invoke scope, as POST /api/agents/invoke does; a data part still hires the only service", async () => {
    const noInvoke = await createAgent(db(), { scopes: ["jobs:read", "jobs:write"] });
    const refused = await rpc(
      `${served.url}/api/agents/${stats.agent.id}/a2a`,
      "message/send",
      {
        message: {
          kind: "message",
          messageId: crypto.randomUUID(),
          role: "user",
          parts: [{ kind: "text", text: "hi" }],
        },
      },
      { "x-agent-key": noInvoke.key },
    );
    expect(refused.status).toBe(403);
    expect(refused.body).toMatchObject({ error: "AuthorizationError", details: { missing_scopes: ["invoke"] } });

    const service = await createService(db(), stats.agent.id);
    await fund(caller, 100_000);
    const a2a = await v1Client(caller, served.url, cardOf(stats));
    const hired = await a2a.sendMessage(message([data({ topic: "a job" })]));
    expect("status" in hired && hired.status?.state).toBe(TaskState.TASK_STATE_SUBMITTED);
    expect("status" in hired && hired.metadata?.agent_market_job).toMatchObject({ service_id: service.id });
  });
});
