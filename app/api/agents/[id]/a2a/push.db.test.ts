import { StreamResponse, TaskState } from "@a2a-js/sdk";
import { Webhook } from "standardwebhooks";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { Principal } from "@/lib/auth/principal";
import { stopEventHub } from "@/lib/events/hub";
import { deliverJob, startJob } from "@/lib/market/jobs";
import { PushDispatcher } from "@/lib/protocols/a2a/push/dispatcher";
import { asTask, data, message, rpc, serveA2A, v1Client } from "@/test/fixtures/a2a";
import { setupHiringTest } from "@/test/fixtures/market";
import { setTestEnv, waitFor } from "@/test/fixtures/runtime";
import type { ServedRoute } from "@/test/serve-route";
import { WebhookReceiver } from "@/test/fixtures/webhook-receiver";

/**
 * A2A push notifications: configs created, read, listed and deleted through the official v1.0 client and the
 * v0.3 method names, and delivered to a local receiver that verifies each signature (Standard Webhooks, keyed
 * by the config's token) when the worker moves the job; a failed delivery is retried with the same webhook-id.
 */

const { worker, client, service } = setupHiringTest({ requiredInputs: [{ name: "topic", type: "string" }] });

const hook = new WebhookReceiver();
const { received, scripts } = hook;
let served: ServedRoute;
let dispatcher: PushDispatcher | undefined;

beforeAll(async () => {
  // Loopback callbacks are allowed here as in the execute callback tests (the URL form check at create uses env).
  setTestEnv({ CALLBACK_ALLOW_LOOPBACK: "true" });
  await hook.start();
  served = await serveA2A();
});
afterEach(async () => {
  await dispatcher?.stop();
  dispatcher = undefined;
});
afterAll(async () => {
  await stopEventHub();
  await served.close();
  await hook.close();
  setTestEnv({ CALLBACK_ALLOW_LOOPBACK: undefined });
});

const startDispatcher = async () =>
  (dispatcher = await new PushDispatcher({
    schedule: [0.05, 0.05],
    timeoutMs: 2000,
    policy: { allowLoopback: true, allowPrivate: false },
    pollMs: 100,
  }).start());

const workerPrincipal = (): Principal => ({ kind: "agent", agentId: worker.agent.id, keyId: "", scopes: [] });
const cardPath = () => `/api/agents/${worker.agent.id}/a2a/agent-card.json`;
const endpoint = () => `${served.url}/api/agents/${worker.agent.id}/a2a`;
const allMine = {
  tenant: "",
  contextId: "",
  status: TaskState.TASK_STATE_UNSPECIFIED,
  pageSize: 100,
  pageToken: "",
  statusTimestampAfter: undefined,
};
const hire = () => message([data({ topic: "push" })], { metadata: { skill_id: service.id } });

/** The notifications to `path` so far, each verified with the token (throws on a bad signature). */
function verified(path: string, token: string): { headers: Record<string, string>; body: unknown }[] {
  const wh = new Webhook(Buffer.from(token).toString("base64"));
  return received
    .filter((r) => r.path === path)
    .map((r) => ({ headers: r.headers, body: wh.verify(r.body, r.headers) }));
}

const stateOf = (body: unknown) => {
  const e = StreamResponse.fromJSON(body);
  return e.payload?.$case === "task" ? e.payload.value.status?.state : undefined;
};

describe("A2A push notifications", () => {
  it("v1.0 client: creates, reads, lists and deletes a config; each change is POSTed signed, with the token", async () => {
    const a2a = await v1Client(client, served.url, cardPath());
    expect((await a2a.getAgentCard()).capabilities?.pushNotifications).toBe(true);
    const task = asTask(await a2a.sendMessage(hire()));
    const token = "the-client-token-0123456789";
    const config = {
      tenant: "",
      id: "mine",
      taskId: task.id,
      url: `${hook.base}/v1`,
      token,
      authentication: undefined,
    };
    const created = await a2a.createTaskPushNotificationConfig(config);
    expect(created).toMatchObject({ id: "mine", taskId: task.id, url: `${hook.base}/v1`, token });
    expect(await a2a.getTaskPushNotificationConfig({ tenant: "", taskId: task.id, id: "mine" })).toEqual(created);
    const listed = await a2a.listTaskPushNotificationConfig({
      tenant: "",
      taskId: task.id,
      pageSize: 0,
      pageToken: "",
    });
    expect(listed.configs).toEqual([created]);

    await startDispatcher();
    await startJob(workerPrincipal(), task.id);
    const working = await waitFor(() => verified("v1", token)[0], "the WORKING notification");
    expect(stateOf(working.body)).toBe(TaskState.TASK_STATE_WORKING);
    expect(working.headers["x-a2a-notification-token"]).toBe(token);
    expect(working.headers["content-type"]).toMatch(/^application\/a2a\+json/);

    await deliverJob(workerPrincipal(), task.id, { content: "pushed report" });
    const ask = await waitFor(() => verified("v1", token)[1], "the INPUT_REQUIRED notification");
    expect(stateOf(ask.body)).toBe(TaskState.TASK_STATE_INPUT_REQUIRED);
    const e = StreamResponse.fromJSON(ask.body);
    const part = e.payload?.$case === "task" ? e.payload.value.artifacts[0]?.parts[0]?.content : undefined;
    expect(part?.$case === "text" && part.value).toBe("pushed report");
    // One message per change: distinct webhook-ids.
    expect(ask.headers["webhook-id"]).not.toBe(working.headers["webhook-id"]);

    await a2a.deleteTaskPushNotificationConfig({ tenant: "", taskId: task.id, id: "mine" });
    const gone = await a2a.getTaskPushNotificationConfig({ tenant: "", taskId: task.id, id: "mine" }).catch((x) => x);
    expect(gone).toBeInstanceOf(Error);
    expect(
      (await a2a.listTaskPushNotificationConfig({ tenant: "", taskId: task.id, pageSize: 0, pageToken: "" })).configs,
    ).toEqual([]);
  });

  it("v0.3 names: tasks/pushNotificationConfig/set; a failed POST is retried with the same webhook-id; v0.3 body", async () => {
    const hired = await rpc(
      endpoint(),
      "message/send",
      {
        message: {
          kind: "message",
          messageId: crypto.randomUUID(),
          role: "user",
          parts: [{ kind: "data", data: { topic: "v0.3 push" } }],
          metadata: { skill_id: service.id },
        },
      },
      { "x-agent-key": client.key },
    );
    const taskId = hired.body.result.id as string;
    // Without a token the market makes one: it comes back in the answer, and it signs.
    const set = await rpc(
      endpoint(),
      "tasks/pushNotificationConfig/set",
      { taskId, pushNotificationConfig: { id: "legacy", url: `${hook.base}/flaky` } },
      { "x-agent-key": client.key },
    );
    expect(set.body.error).toBeUndefined();
    const token = set.body.result.pushNotificationConfig.token as string;
    expect(token.length).toBeGreaterThanOrEqual(16);
    const got = await rpc(
      endpoint(),
      "tasks/pushNotificationConfig/get",
      { id: taskId, pushNotificationConfigId: "legacy" },
      { "x-agent-key": client.key },
    );
    expect(got.body.result).toMatchObject({
      taskId,
      pushNotificationConfig: { id: "legacy", url: `${hook.base}/flaky` },
    });

    scripts.flaky = [500, 200];
    await startDispatcher();
    await startJob(workerPrincipal(), taskId);
    const [first, second] = await waitFor(() => {
      const all = verified("flaky", token);
      return all.length >= 2 ? all : undefined;
    }, "a failed attempt and its retry");
    expect(second!.headers["webhook-id"]).toBe(first!.headers["webhook-id"]);
    expect(second!.body).toMatchObject({ kind: "task", id: taskId, status: { state: "working" } });
  });

  it("a config given with the hire hears of the job; a URL the SSRF guard refuses is invalid params, before any hire", async () => {
    const a2a = await v1Client(client, served.url, cardPath());
    const token = "inline-token-abcdefghijklmnop";
    const push = { tenant: "", id: "", taskId: "", url: `${hook.base}/inline`, token, authentication: undefined };
    const withPush = message(
      [data({ topic: "inline" })],
      { metadata: { skill_id: service.id } },
      {
        acceptedOutputModes: [],
        taskPushNotificationConfig: push,
        returnImmediately: false,
      },
    );
    const task = asTask(await a2a.sendMessage(withPush));
    expect(await a2a.getTaskPushNotificationConfig({ tenant: "", taskId: task.id, id: "default" })).toMatchObject({
      url: `${hook.base}/inline`,
    });
    await startDispatcher();
    await startJob(workerPrincipal(), task.id);
    const n = await waitFor(() => verified("inline", token)[0], "the inline config's notification");
    expect(stateOf(n.body)).toBe(TaskState.TASK_STATE_WORKING);

    const before = (await a2a.listTasks(allMine)).tasks.length;
    const refused = message(
      [data({ topic: "x" })],
      { metadata: { skill_id: service.id } },
      {
        acceptedOutputModes: [],
        taskPushNotificationConfig: { ...push, url: "http://10.1.2.3/hook" },
        returnImmediately: false,
      },
    );
    const err = await a2a.sendMessage(refused).catch((x: unknown) => x);
    expect(String(err)).toMatch(/url refused/);
    const after = (await a2a.listTasks(allMine)).tasks.length;
    expect(after).toBe(before);
  });
});
