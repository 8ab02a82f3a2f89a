import { randomUUID } from "node:crypto";
import { AgentCard, TaskState, type StreamResponse } from "@a2a-js/sdk";
import { isLegacyAgentCard, parseLegacyAgentCard } from "@a2a-js/sdk/compat/v0_3/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { errorBodySchema } from "@/lib/api/errors";
import type { Principal } from "@/lib/auth/principal";
import { stopEventHub } from "@/lib/events/hub";
import { deliverJob, startJob } from "@/lib/market/jobs";
import { PRICING_EXTENSION_URI } from "@/lib/protocols/a2a/card";
import { GET as getAgentRoute } from "@/app/api/agents/[id]/route";
import { asTask, data, message, rpc as rawRpc, serveA2A, v1Client as clientAt } from "@/test/fixtures/a2a";
import { createAgent, setupHiringTest, type AgentFixture } from "@/test/fixtures/market";
import { call } from "@/test/http";
import type { ServedRoute } from "@/test/serve-route";

const { db, worker, client, service } = setupHiringTest({ requiredInputs: [{ name: "topic", type: "string" }] });

let served: ServedRoute;

beforeAll(async () => {
  served = await serveA2A();
});
afterAll(async () => {
  await stopEventHub();
  await served.close();
});

const workerPrincipal = (): Principal => ({ kind: "agent", agentId: worker.agent.id, keyId: "", scopes: [] });
const cardPath = () => `/api/agents/${worker.agent.id}/a2a/agent-card.json`;
const endpoint = () => `${served.url}/api/agents/${worker.agent.id}/a2a`;

/** The official v1.0 client, from the agent's card. */
const v1Client = (as: AgentFixture) => clientAt(as, served.url, cardPath());

/** A raw JSON-RPC call, as a v0.3 client sends it (no A2A-Version header). */
const rpc = (method: string, params: unknown, headers: Record<string, string> = { "x-agent-key": client.key }) =>
  rawRpc(endpoint(), method, params, headers);

describe("the agent's A2A card", () => {
  it("lists the active services as skills with their price, the JSON-RPC interfaces and the API key schemes", async () => {
    const res = await fetch(`${served.url}${cardPath()}`);
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toMatch(/max-age=\d+/);
    const etag = res.headers.get("etag");
    expect(etag).toBeTruthy();
    const card = AgentCard.fromJSON(await res.json());
    expect(card.skills.map((s) => s.id)).toEqual([service.id]);
    expect(card.supportedInterfaces.map((i) => [i.protocolBinding, i.protocolVersion])).toEqual([
      ["JSONRPC", "1.0"],
      ["JSONRPC", "0.3"],
    ]);
    expect(card.supportedInterfaces[0]!.url).toBe(endpoint());
    const pricing = card.capabilities?.extensions.find((e) => e.uri === PRICING_EXTENSION_URI);
    expect(pricing?.params?.skills[service.id]).toMatchObject({ price_cents: service.priceCents });
    expect(Object.keys(card.securitySchemes).sort()).toEqual(["agentKey", "bearer", "session"]);

    const again = await fetch(`${served.url}${cardPath()}`, { headers: { "if-none-match": etag! } });
    expect(again.status).toBe(304);
  });

  it("serves the marketplace card at both well-known paths, the old one in the v0.3 shape", async () => {
    const v1 = AgentCard.fromJSON(await (await fetch(`${served.url}/.well-known/agent-card.json`)).json());
    expect(v1.skills.map((s) => s.id)).toEqual(["search_services", "hire", "follow_jobs"]);
    const raw = await (await fetch(`${served.url}/.well-known/agent.json`)).json();
    expect(isLegacyAgentCard(raw)).toBe(true);
    const parsed = parseLegacyAgentCard(raw);
    expect(parsed.name).toBe(v1.name);
    expect(parsed.skills.map((s) => s.id)).toEqual(v1.skills.map((s) => s.id));
    expect(parsed.supportedInterfaces[0]).toMatchObject({ url: `${served.url}/api/a2a`, protocolVersion: "0.3.0" });
    expect(Object.keys(parsed.securitySchemes).sort()).toEqual(["agentKey", "bearer", "session"]);
  });
});

describe("the agent's A2A endpoint", () => {
  it("v1.0 client: hires, follows to INPUT_REQUIRED, accepts with a follow-up and reads the artifact", async () => {
    const a2a = await v1Client(client);
    const hire = message([data({ topic: "a2a" })], { metadata: { skill_id: service.id, title: "A2A job" } });
    const task = asTask(await a2a.sendMessage(hire));
    expect(task.status?.state).toBe(TaskState.TASK_STATE_SUBMITTED);
    // A retry of the same message is the same hire.
    expect(asTask(await a2a.sendMessage(hire)).id).toBe(task.id);

    const events: StreamResponse[] = [];
    let subscribed!: () => void;
    const firstEvent = new Promise<void>((resolve) => (subscribed = resolve));
    const following = (async () => {
      for await (const e of a2a.resubscribeTask({ tenant: "", id: task.id })) {
        events.push(e);
        subscribed();
      }
    })();
    await firstEvent; // the stream starts with the task as it is now: SUBMITTED
    await startJob(workerPrincipal(), task.id);
    await deliverJob(workerPrincipal(), task.id, { content: "the A2A report" });

    const delivered = await a2a.getTask({ tenant: "", id: task.id });
    expect(delivered.status?.state).toBe(TaskState.TASK_STATE_INPUT_REQUIRED);
    const ask = delivered.status?.message?.parts[0]?.content;
    expect(ask?.$case === "text" && ask.value).toMatch(/"decision":"accept"/);

    const done = asTask(await a2a.sendMessage(message([data({ decision: "accept", rating: 5 })], { taskId: task.id })));
    expect(done.status?.state).toBe(TaskState.TASK_STATE_COMPLETED);
    const part = done.artifacts[0]?.parts[0]?.content;
    expect(part?.$case === "text" && part.value).toBe("the A2A report");

    await following; // the stream ends at the final state
    const states = events.flatMap((e) =>
      e.payload?.$case === "statusUpdate"
        ? [e.payload.value.status?.state]
        : e.payload?.$case === "task"
          ? [e.payload.value.status?.state]
          : [],
    );
    expect(states[0]).toBe(TaskState.TASK_STATE_SUBMITTED);
    expect(states).toContain(TaskState.TASK_STATE_INPUT_REQUIRED);
    expect(states.at(-1)).toBe(TaskState.TASK_STATE_COMPLETED);
    expect(events.some((e) => e.payload?.$case === "artifactUpdate")).toBe(true);

    const listed = await a2a.listTasks({
      tenant: "",
      contextId: "",
      status: TaskState.TASK_STATE_COMPLETED,
      pageToken: "",
      statusTimestampAfter: undefined,
    });
    expect(listed.tasks.map((t) => t.id)).toContain(task.id);
  });

  it("v0.3 JSON-RPC: message/send hires, tasks/get follows, a follow-up accepts; unknown tasks are TaskNotFound", async () => {
    const messageId = randomUUID();
    const send = {
      message: {
        kind: "message",
        messageId,
        role: "user",
        parts: [{ kind: "data", data: { topic: "v0.3" } }],
        metadata: { skill_id: service.id },
      },
    };
    const hired = await rpc("message/send", send);
    expect(hired.status).toBe(200);
    expect(hired.body.result).toMatchObject({ kind: "task", status: { state: "submitted" } });
    const taskId = hired.body.result.id as string;
    expect((await rpc("message/send", send)).body.result.id).toBe(taskId);

    await startJob(workerPrincipal(), taskId);
    await deliverJob(workerPrincipal(), taskId, { content: "the v0.3 report" });
    expect((await rpc("tasks/get", { id: taskId })).body.result.status.state).toBe("input-required");

    const accepted = await rpc("message/send", {
      message: {
        kind: "message",
        messageId: randomUUID(),
        taskId,
        role: "user",
        parts: [{ kind: "data", data: { decision: "accept", rating: 4 } }],
      },
    });
    expect(accepted.body.result.status.state).toBe("completed");
    expect(accepted.body.result.artifacts[0].parts[0]).toMatchObject({ kind: "text", text: "the v0.3 report" });

    expect((await rpc("tasks/get", { id: randomUUID() })).body.error.code).toBe(-32001);
    expect((await rpc("tasks/cancel", { id: taskId })).body.error.code).toBe(-32002);
  });

  it("answers a hire the wallet cannot pay with an A2A error carrying the REST error", async () => {
    const poor = await createAgent(db(), { name: "Poor" });
    const { body } = await rpc(
      "message/send",
      {
        message: {
          kind: "message",
          messageId: randomUUID(),
          role: "user",
          parts: [{ kind: "data", data: { topic: "x" } }],
        },
      },
      { "x-agent-key": poor.key },
    );
    expect(body.error.code).toBe(-32602);
    expect(JSON.stringify(body.error)).toContain("PaymentRequiredError");
  });

  it("answers 401 without a key and the REST scope error for a key without the scope", async () => {
    const anonymous = await rpc("tasks/get", { id: randomUUID() }, {});
    expect(anonymous.status).toBe(401);
    expect(errorBodySchema.parse(anonymous.body).error).toBe("AuthenticationError");

    const readOnly = await createAgent(db(), { scopes: ["jobs:read"] });
    const refused = await rpc(
      "message/send",
      { message: { kind: "message", messageId: randomUUID(), role: "user", parts: [] } },
      { "x-agent-key": readOnly.key },
    );
    expect(refused.status).toBe(403);
    expect(refused.body).toEqual({
      error: "AuthorizationError",
      message: "This API key lacks the scope jobs:write",
      details: { missing_scopes: ["jobs:write"] },
    });
  });

  it("ListTasks filters by statusTimestampAfter; the agent resource links to its card and endpoint", async () => {
    const a2a = await v1Client(client);
    const task = asTask(
      await a2a.sendMessage(message([data({ topic: "since" })], { metadata: { skill_id: service.id } })),
    );
    const list = (after: string | undefined) =>
      a2a.listTasks({
        tenant: "",
        contextId: "",
        status: TaskState.TASK_STATE_UNSPECIFIED,
        pageSize: 100,
        pageToken: "",
        statusTimestampAfter: after,
      });
    const hiredAt = task.status!.timestamp!;
    expect((await list(new Date(Date.parse(hiredAt) - 1).toISOString())).tasks.map((t) => t.id)).toContain(task.id);
    expect((await list(hiredAt)).tasks.map((t) => t.id)).not.toContain(task.id);
    await startJob(workerPrincipal(), task.id);
    const started = await a2a.getTask({ tenant: "", id: task.id });
    // Changed since: listed again, with the new timestamp.
    expect(Date.parse(started.status!.timestamp!)).toBeGreaterThan(Date.parse(hiredAt));
    expect((await list(hiredAt)).tasks.map((t) => t.id)).toContain(task.id);
    expect(
      (
        await rpc(
          "ListTasks",
          { statusTimestampAfter: "yesterday" },
          { "x-agent-key": client.key, "a2a-version": "1.0" },
        )
      ).body.error.code,
    ).toBe(-32602);

    const res = await call(getAgentRoute, `/api/agents/${worker.agent.id}`, { params: { id: worker.agent.id } });
    expect(res.status).toBe(200);
    expect(res.body.a2a).toEqual({
      card_url: `http://localhost${cardPath()}`,
      endpoint: `http://localhost/api/agents/${worker.agent.id}/a2a`,
    });
  });
});
