import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET as getExecution } from "@/app/api/executions/[id]/route";
import { POST as stop } from "@/app/api/executions/[id]/stop/route";
import { GET as logs } from "@/app/api/executions/[id]/logs/route";
import { setupTestDatabase } from "@/test/db";
import { startCloudWatchLogsServer, type CloudWatchLogsServer } from "@/test/doubles/cloudwatch-logs-server";
import { startEcsServer, type EcsServer } from "@/test/doubles/ecs-server";
import { call } from "@/test/http";
import type { RuntimeConfig } from "./config";
import { closeHosts } from "./hosts/index";
import { reconcileOnce } from "./reconciler";
import { runAgent, runnableAgent, setTestEnv, waitFor } from "@/test/fixtures/runtime";

setupTestDatabase();

let ecs: EcsServer;
let cloudwatch: CloudWatchLogsServer;
const credentials = { accessKeyId: "AKIDTESTTESTTEST", secretAccessKey: "test-secret" };

beforeAll(async () => {
  cloudwatch = await startCloudWatchLogsServer({ credentials, groups: ["/agent-market/agents"] });
  ecs = await startEcsServer({
    taskDefinitions: {
      "agent-market-text-stats": { artifact: "text-stats", env: { EXIT_AFTER_INVOCATIONS: "1" } },
      "agent-market-sentiment": { artifact: "sentiment" },
    },
    stopTimeoutMs: 1_000,
    credentials,
    logs: cloudwatch.store,
  });
  setTestEnv({
    AWS_ENDPOINT_URL_ECS: ecs.url,
    AWS_ENDPOINT_URL_CLOUDWATCH_LOGS: cloudwatch.url,
    AWS_REGION: "us-east-1",
    AWS_ACCESS_KEY_ID: credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
    EXECUTION_MAX_CONCURRENT_PER_AGENT: "5",
    ...OPERATOR,
  });
});
afterAll(async () => {
  closeHosts();
  await Promise.all([ecs?.close(), cloudwatch?.close()]);
});

/** The operator's ECS configuration: agents never name any of it. */
const OPERATOR = {
  ECS_CLUSTER: "agent-market",
  ECS_SUBNETS: "subnet-0abc,subnet-0def",
  ECS_SECURITY_GROUPS: "sg-0abc",
  ECS_TASK_ROLE_ARN: "arn:aws:iam::123456789012:role/agent-task",
  ECS_EXECUTION_ROLE_ARN: "arn:aws:iam::123456789012:role/agent-task-execution",
  ECS_TASK_DEFINITION_PREFIX: "agent-market-",
};

const fargate = (slug: string): RuntimeConfig => ({
  kind: "fargate",
  task_definition: `agent-market-${slug}:1`,
  container_name: "agent",
});

/** Waits for a status the way production learns it: reconciler sweeps (DescribeTasks), not per-request polling. */
const until = (id: string, key: string, status: string) =>
  waitFor(async () => {
    await reconcileOnce();
    const r = (await call(getExecution, `/api/executions/${id}`, { key, params: { id } })).body;
    return r.status === status ? r : undefined;
  }, `execution ${id} to be ${status}`);

const start = async (t: Awaited<ReturnType<typeof runnableAgent>>, input: Record<string, unknown> = {}) => {
  const res = await runAgent(t, { input });
  expect(res.status).toBe(202);
  return res.body;
};

describe("Fargate host (real ECS client against the ECS double)", () => {
  it("runs a task: RunTask with the contract's environment, running with the ENI endpoint, invoked, completed", async () => {
    const t = await runnableAgent(fargate("text-stats"));
    const started = await start(t, { text: "hello fargate" });
    expect(started.status).toBe("starting");
    expect(started.task_arn).toMatch(/^arn:aws:ecs:us-east-1:\d{12}:task\/agent-market\/[0-9a-f]{32}$/);
    const task = ecs.tasks.get(started.task_arn)!;
    expect(task.startedBy).toBe(started.execution_id);
    // Cluster, network and roles are the operator's.
    expect(task.cluster).toBe("agent-market");
    expect(task.taskDefinition).toBe("agent-market-text-stats:1");
    expect(task.networkConfiguration).toEqual({
      awsvpcConfiguration: {
        subnets: ["subnet-0abc", "subnet-0def"],
        securityGroups: ["sg-0abc"],
        assignPublicIp: "DISABLED",
      },
    });
    expect(task.overrides).toMatchObject({
      taskRoleArn: OPERATOR.ECS_TASK_ROLE_ARN,
      executionRoleArn: OPERATOR.ECS_EXECUTION_ROLE_ARN,
    });
    const envs = (task.overrides as any).containerOverrides[0].environment;
    expect(Object.fromEntries(envs.map((e: any) => [e.name, e.value]))).toMatchObject({
      AGENT_ID: t.agent.id,
      AGENT_NAME: t.agent.name,
      EXECUTION_ID: started.execution_id,
      INPUT_DATA: JSON.stringify({ text: "hello fargate" }),
    });

    const running = await until(started.execution_id, t.key, "running");
    expect(running.endpoint).toBe(`http://127.0.0.1:${task.hostPort}`);
    const answer = await fetch(`${running.endpoint}/invocations`, {
      method: "POST",
      body: JSON.stringify({ prompt: "a b c" }),
    }).then((r) => r.json());
    expect(answer.data.words).toBe(3);

    const done = await until(started.execution_id, t.key, "completed");
    expect(done).toMatchObject({ exit_code: 0, stop_code: "EssentialContainerExited" });
    expect(ecs.calls.every((c) => c.status === 200)).toBe(true);
  });

  it("shows the container's stdout: read back from CloudWatch Logs into the execution log, once each", async () => {
    const t = await runnableAgent(fargate("text-stats"));
    const started = await start(t, { text: "hello fargate logs" });
    const running = await until(started.execution_id, t.key, "running");
    const task = ecs.tasks.get(started.task_arn)!;
    const stream = `ecs/agent/${task.id}`;
    expect(cloudwatch.store.messages("/agent-market/agents", stream).length).toBeGreaterThan(0);
    cloudwatch.setFault({ throttle: 1 }); // a throttled read is retried
    await fetch(`${running.endpoint}/invocations`, { method: "POST", body: JSON.stringify({ prompt: "a b" }) });
    await until(started.execution_id, t.key, "completed");
    const read = async () =>
      (
        await call(logs, `/api/executions/${started.execution_id}/logs`, {
          key: t.key,
          params: { id: started.execution_id },
        })
      ).body.data as { stream: string; line: string }[];
    const stdout = (await read()).filter((l) => l.stream === "stdout").map((l) => l.line);
    // Everything the container wrote, in order, its last lines (written as it exited) included.
    expect(stdout).toEqual(cloudwatch.store.messages("/agent-market/agents", stream));
    expect(stdout.some((l) => l.includes("input result") && l.includes('"words":3'))).toBe(true);
    expect(stdout.some((l) => l.includes(`execution ${started.execution_id} listening`))).toBe(true);
    // Later sweeps (and a restarted app, whose hosts know nothing) add nothing twice.
    closeHosts();
    await reconcileOnce();
    await reconcileOnce();
    expect((await read()).filter((l) => l.stream === "stdout")).toHaveLength(stdout.length);
    const reads = cloudwatch.calls.filter((c) => c.action === "FilterLogEvents");
    expect(reads.map((c) => c.status)).toContain(400);
  });

  it("a crashing container is failed with its exit code, and the stop is in the logs", async () => {
    const t = await runnableAgent(fargate("sentiment"));
    const started = await start(t);
    const running = await until(started.execution_id, t.key, "running");
    await fetch(`${running.endpoint}/invocations`, {
      method: "POST",
      body: JSON.stringify({ prompt: "__crash__" }),
    }).catch(() => null);
    const failed = await until(started.execution_id, t.key, "failed");
    expect(failed).toMatchObject({ exit_code: 3, stop_code: "EssentialContainerExited" });
    expect(failed.stopped_reason).toContain("Essential container in task exited");
    const lines = (
      await call(logs, `/api/executions/${failed.execution_id}/logs`, {
        key: t.key,
        params: { id: failed.execution_id },
      })
    ).body.data;
    expect(lines.some((l: any) => l.stream === "system" && l.line.includes("exit code 3"))).toBe(true);
  });

  it("stop: StopTask, stopped; the task winds down to STOPPED with UserInitiated", async () => {
    const t = await runnableAgent(fargate("sentiment"));
    const started = await start(t);
    await until(started.execution_id, t.key, "running");
    const res = await call(stop, `/api/executions/${started.execution_id}/stop`, {
      headers: t.owner.headers,
      params: { id: started.execution_id },
      method: "POST",
    });
    expect(res.body).toMatchObject({ status: "stopped", stop_code: "UserInitiated" });
    const task = ecs.tasks.get(started.task_arn)!;
    await waitFor(() => (task.lastStatus === "STOPPED" ? true : undefined), "task STOPPED");
    expect(task.stopCode).toBe("UserInitiated");
    expect(task.exitCode).toBe(0);
  });

  it("RunTask failures[] and TaskFailedToStart make failed executions with the reason", async () => {
    const t = await runnableAgent(fargate("sentiment"));
    ecs.setFault({ runTaskFailures: 1, runTaskFailureReason: "RESOURCE:CPU" });
    const refused = await start(t);
    expect(refused).toMatchObject({ status: "failed", task_arn: null });
    expect(refused.stopped_reason).toContain("RESOURCE:CPU");

    ecs.setFault({ failToStart: 1 });
    const started = await start(t);
    const failed = await until(started.execution_id, t.key, "failed");
    expect(failed.stop_code).toBe("TaskFailedToStart");
    expect(failed.stopped_reason).toContain("CannotPullContainerError");
  });

  it("throttling: RunTask and DescribeTasks back off and succeed", async () => {
    const t = await runnableAgent(fargate("sentiment"));
    const before = ecs.calls.length;
    ecs.setFault({ throttle: 2 });
    const started = await start(t);
    expect(started.status).toBe("starting");
    expect(started.task_arn).not.toBeNull();
    const runCalls = ecs.calls.slice(before).filter((c) => c.action === "RunTask");
    expect(runCalls.map((c) => c.status)).toEqual([400, 400, 200]);

    ecs.setFault({ throttle: 1 });
    const sweep = await reconcileOnce();
    expect(sweep.throttled).toBe(1);
    expect(sweep.failedBatches).toBe(0);
    await until(started.execution_id, t.key, "running");
    await call(stop, `/api/executions/${started.execution_id}/stop`, {
      key: t.key,
      params: { id: started.execution_id },
      method: "POST",
    });
  });

  it("an app restart mid-run: the record is reconciled from ECS", async () => {
    const t = await runnableAgent(fargate("text-stats"));
    const started = await start(t);
    const running = await until(started.execution_id, t.key, "running");
    closeHosts(); // nothing of Fargate lives in memory: the task ARN is in the record
    await fetch(`${running.endpoint}/invocations`, { method: "POST", body: JSON.stringify({ prompt: "x" }) });
    const done = await until(started.execution_id, t.key, "completed");
    expect(done.exit_code).toBe(0);
  });

  it("timeout: stopped with the reason, and the task is stopped in ECS", async () => {
    const t = await runnableAgent(fargate("sentiment"));
    const res = await runAgent(t, { input: {}, timeout_s: 1 });
    const stopped = await until(res.body.execution_id, t.key, "stopped");
    expect(stopped.stopped_reason).toBe("Timed out after 1 s");
    await waitFor(() => (ecs.tasks.get(res.body.task_arn)!.desiredStatus === "STOPPED" ? true : undefined), "StopTask");
  });
});
