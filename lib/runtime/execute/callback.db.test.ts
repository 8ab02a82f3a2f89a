import { Webhook } from "standardwebhooks";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET as agentExecution } from "@/app/api/agents/[id]/executions/[executionId]/route";
import { executionSchema } from "@/lib/api/contracts/executions";
import { setupTestDatabase } from "@/test/db";
import { deployFakeAgent, execute, type FakeAgent } from "@/test/fixtures/execute";
import { setTestEnv, waitFor } from "@/test/fixtures/runtime";
import { call } from "@/test/http";
import { WebhookReceiver } from "@/test/fixtures/webhook-receiver";
import { ExecutionWorker } from "./worker";

setupTestDatabase();

const hook = new WebhookReceiver();
const { received, scripts } = hook;
let agent: FakeAgent;
let worker: ExecutionWorker;

beforeAll(async () => {
  setTestEnv({ CALLBACK_ALLOW_LOOPBACK: "true" });
  await hook.start();
  agent = await deployFakeAgent();
  const lookup = async (host: string) =>
    host === "internal.example" ? [{ address: "10.1.2.3", family: 4 }] : [{ address: "127.0.0.1", family: 4 }];
  worker = await new ExecutionWorker({
    pollingIntervalSeconds: 0.5,
    supervise: false,
    callbacks: {
      schedule: [0.05, 0.05, 0.05],
      timeoutMs: 2000,
      policy: { allowLoopback: true, allowPrivate: false, lookup },
    },
  }).start();
});
afterAll(async () => {
  await worker?.stop();
  await agent?.close();
  await hook.close();
  setTestEnv({ CALLBACK_ALLOW_LOOPBACK: undefined });
});

async function record(id: string) {
  const res = await call(agentExecution, `/api/agents/${agent.agentId}/executions/${id}`, {
    key: agent.key,
    params: { id: agent.agentId, executionId: id },
  });
  return executionSchema.parse(res.body);
}

/** An async execution calling back to `url`; resolves with its record once the callback is settled. */
async function executeWithCallback(url: string) {
  const res = await execute(agent, {
    input_data: { parameters: { q: 1 } },
    execution_options: { async: true, callback_url: url },
  });
  expect(res.status, JSON.stringify(res.body)).toBe(202);
  expect(res.body.callback_url).toBe(url);
  const id = res.body.execution_id as string;
  return waitFor(async () => {
    const r = await record(id);
    return r.callback_status && r.callback_status !== "pending" ? r : undefined;
  }, "the callback to settle");
}

describe("callbacks", () => {
  it("POSTs the record signed the Standard Webhooks way (verified with the library)", async () => {
    const rec = await executeWithCallback(`${hook.base}/ok`);
    expect(rec.callback_status).toBe("delivered");
    expect(rec.callbacks).toMatchObject([{ attempt: 1, status_code: 200, outcome: "delivered" }]);
    const hit = received.find((r) => r.path === "ok")!;
    const payload = new Webhook(agent.webhookSecret).verify(hit.body, hit.headers) as { type: string; data: unknown };
    expect(payload.type).toBe("execution.completed");
    expect(executionSchema.parse(payload.data)).toMatchObject({ execution_id: rec.execution_id, status: "completed" });
    expect(() =>
      new Webhook("whsec_" + Buffer.from("another secret, 32 bytes long!!!").toString("base64")).verify(
        hit.body,
        hit.headers,
      ),
    ).toThrow();
  });

  it("retries non-2xx answers until one succeeds, with the same webhook-id", async () => {
    scripts.flaky = [500, 503, 200];
    const rec = await executeWithCallback(`${hook.base}/flaky`);
    expect(rec.callback_status).toBe("delivered");
    expect(rec.callbacks.map((c) => c.status_code)).toEqual([500, 503, 200]);
    const ids = new Set(received.filter((r) => r.path === "flaky").map((r) => r.headers["webhook-id"]));
    expect(ids.size).toBe(1);
  });

  it("gives up after the schedule, and a 410 stops at once", async () => {
    scripts.down = [500];
    const down = await executeWithCallback(`${hook.base}/down`);
    expect(down.callback_status).toBe("failed");
    expect(down.callbacks).toHaveLength(4);
    scripts.gone = [410];
    const gone = await executeWithCallback(`${hook.base}/gone`);
    expect(gone.callback_status).toBe("gone");
    expect(gone.callbacks).toMatchObject([{ attempt: 1, status_code: 410, outcome: "gone" }]);
  });

  it("does not follow redirects", async () => {
    scripts.moved = [302, 302, 302, 302];
    const rec = await executeWithCallback(`${hook.base}/moved`);
    expect(rec.callbacks[0]).toMatchObject({
      status_code: 302,
      outcome: "failed",
      error: "redirects are not followed",
    });
    expect(received.some((r) => r.path === "redirected")).toBe(false);
  });

  it("refuses a name that resolves to a private address at delivery, and refuses bad URLs at once", async () => {
    const rec = await executeWithCallback("https://internal.example/hook");
    expect(rec.callback_status).toBe("failed");
    expect(rec.callbacks).toMatchObject([{ outcome: "refused" }]);
    expect(rec.callbacks[0]!.error).toMatch(/private/);
    for (const url of ["https://10.0.0.1/x", "https://169.254.169.254/latest", "ftp://example.com/x"]) {
      const res = await execute(agent, { execution_options: { async: true, callback_url: url } });
      expect(res.status, url).toBe(422);
    }
    setTestEnv({ CALLBACK_ALLOW_LOOPBACK: undefined });
    const loop = await execute(agent, { execution_options: { async: true, callback_url: `${hook.base}/ok` } });
    expect(loop.status).toBe(422);
    setTestEnv({ CALLBACK_ALLOW_LOOPBACK: "true" });
  });
});
