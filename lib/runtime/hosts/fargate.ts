import "server-only";
import { DescribeTasksCommand, RunTaskCommand, StopTaskCommand, type Task } from "@aws-sdk/client-ecs";
import type { ExecutionRow, Host, Observation, StartResult, StartSpec } from "../types";
import { ecsOperatorConfig, familyAllowed } from "../operator";
import { HostStartError } from "../types";
import { ecsClient, withThrottleRetry, type RetryOptions } from "./ecs-client";
import { log } from "@/lib/log";

interface FargateState {
  cluster?: string;
  container_name?: string;
  /** The revision the task runs: its awslogs configuration says where its output goes (fargate-logs.ts). */
  task_definition_arn?: string;
}

export const DESCRIBE_BATCH = 100; // the DescribeTasks maximum
const DESCRIBE_CONCURRENCY = 4;
const CONTAINER_PORT = 8080; // the agent contract's port
const NEVER_STARTED_AFTER_MS = 60_000;
/** ECS caps all container overrides at 8 KiB; INPUT_DATA larger than this cannot travel as an override. */
export const FARGATE_MAX_INPUT_BYTES = 7_000;

/** The endpoint of a running task: its ENI's private IPv4 and the contract port. */
export function endpointOf(task: Task, containerName?: string): string | null {
  const container = task.containers?.find((c) => c.name === containerName) ?? task.containers?.[0];
  const eni = task.attachments?.find((a) => a.type === "ElasticNetworkInterface" || a.type === "eni");
  const ip =
    eni?.details?.find((d) => d.name === "privateIPv4Address")?.value ??
    container?.networkInterfaces?.[0]?.privateIpv4Address;
  if (!ip) return null;
  // awsvpc tasks have no port mappings of their own; a binding with a host port (the loopback test double,
  // whose processes cannot all listen on 8080) wins when present.
  const port = container?.networkBindings?.find((b) => b.hostPort)?.hostPort ?? CONTAINER_PORT;
  return `http://${ip}:${port}`;
}

/** Maps an ECS task onto an execution status (null: nothing to record yet, e.g. STOPPING without an exit code). */
export function observeTask(task: Task, containerName?: string): Observation | null {
  const status = task.lastStatus ?? "";
  if (status === "RUNNING") return { status: "running", endpoint: endpointOf(task, containerName) };
  if (["PROVISIONING", "PENDING", "ACTIVATING"].includes(status)) return { status: "starting" };
  if (status !== "STOPPED") return null; // DEACTIVATING, STOPPING, DEPROVISIONING: wait for the exit code
  const container = task.containers?.find((c) => c.name === containerName) ?? task.containers?.[0];
  const exitCode = container?.exitCode ?? null;
  const stopCode = task.stopCode ?? null;
  const reason = [task.stoppedReason, container?.reason].filter(Boolean).join("; ") || null;
  const log = `ECS task stopped: ${stopCode ?? "unknown stop code"}${reason ? ` (${reason})` : ""}${
    exitCode !== null ? `, exit code ${exitCode}` : ""
  }`;
  const base = { exitCode, stopCode, stoppedReason: reason, log };
  if (stopCode === "EssentialContainerExited" && exitCode === 0) return { ...base, status: "completed" };
  if (
    ["UserInitiated", "ServiceSchedulerInitiated", "SpotInterruption", "TerminationNotice"].includes(stopCode ?? "")
  ) {
    return { ...base, status: "stopped" };
  }
  return { ...base, status: "failed" };
}

/** ECS Fargate host: RunTask / DescribeTasks / StopTask through the real SDK client. */
export class FargateHost implements Host {
  readonly kind = "fargate" as const;
  readonly pendingStarts = new Set<string>();
  /** Figures of the last describe(): DescribeTasks calls made, throttled attempts, batches that failed. */
  lastDescribe = { calls: 0, throttled: 0, failedBatches: 0 };

  constructor(private readonly retry: RetryOptions = {}) {}

  async start({ execution, agent, runtime }: StartSpec): Promise<StartResult> {
    if (runtime.kind !== "fargate") throw new HostStartError("not a fargate runtime");
    // Cluster, network and roles are the operator's; the runtime only names a family under its prefix.
    const cfg = ecsOperatorConfig();
    if (!cfg) throw new HostStartError("ECS Fargate is not configured on this marketplace");
    if (!familyAllowed(cfg, runtime.task_definition)) {
      throw new HostStartError(`The task definition ${runtime.task_definition} is not under the operator's prefix`);
    }
    const environment = [
      { name: "AGENT_ID", value: agent.id },
      { name: "AGENT_NAME", value: agent.name },
      { name: "EXECUTION_ID", value: execution.id },
      { name: "INPUT_DATA", value: JSON.stringify(execution.input ?? {}) },
    ];
    let res;
    try {
      res = await withThrottleRetry(
        () =>
          ecsClient().send(
            new RunTaskCommand({
              cluster: cfg.cluster,
              taskDefinition: runtime.task_definition,
              launchType: "FARGATE",
              count: 1,
              // The execution id (36 chars, the startedBy maximum) ties a task to its record in the console;
              // as the client token it makes a retried RunTask idempotent.
              startedBy: execution.id,
              clientToken: execution.id,
              networkConfiguration: {
                awsvpcConfiguration: {
                  subnets: cfg.subnets,
                  ...(cfg.securityGroups.length ? { securityGroups: cfg.securityGroups } : {}),
                  assignPublicIp: cfg.assignPublicIp ? "ENABLED" : "DISABLED",
                },
              },
              overrides: {
                containerOverrides: [{ name: runtime.container_name, environment }],
                ...(cfg.taskRoleArn ? { taskRoleArn: cfg.taskRoleArn } : {}),
                ...(cfg.executionRoleArn ? { executionRoleArn: cfg.executionRoleArn } : {}),
              },
            }),
          ),
        this.retry,
      );
    } catch (err) {
      const e = err as { name?: string; message?: string };
      throw new HostStartError(`ECS RunTask failed: ${e.name ?? "Error"}: ${e.message ?? ""}`.trim());
    }
    const task = res.tasks?.[0];
    if (!task?.taskArn) {
      const why = (res.failures ?? []).map((f) => [f.reason, f.detail].filter(Boolean).join(": ")).join("; ");
      throw new HostStartError(`ECS could not place the task: ${why || "no task returned"}`);
    }
    const state: FargateState = {
      cluster: cfg.cluster,
      container_name: runtime.container_name,
      ...(task.taskDefinitionArn ? { task_definition_arn: task.taskDefinitionArn } : {}),
    };
    return { taskArn: task.taskArn, hostState: { ...state } };
  }

  async describe(rows: ExecutionRow[]): Promise<Map<string, Observation>> {
    const out = new Map<string, Observation>();
    const byCluster = new Map<string, ExecutionRow[]>();
    for (const row of rows) {
      const st = row.hostState as FargateState;
      if (!row.taskArn || !st.cluster) {
        if (!this.pendingStarts.has(row.id) && Date.now() - row.startTime.getTime() > NEVER_STARTED_AFTER_MS) {
          out.set(row.id, { status: "failed", stoppedReason: "The ECS task was never started", log: "never started" });
        }
        continue;
      }
      const list = byCluster.get(st.cluster) ?? [];
      list.push(row);
      byCluster.set(st.cluster, list);
    }
    const batches: { cluster: string; rows: ExecutionRow[] }[] = [];
    for (const [cluster, list] of byCluster) {
      for (let i = 0; i < list.length; i += DESCRIBE_BATCH)
        batches.push({ cluster, rows: list.slice(i, i + DESCRIBE_BATCH) });
    }
    const stats = { calls: 0, throttled: 0, failedBatches: 0 };
    this.lastDescribe = stats;
    let next = 0;
    const worker = async () => {
      while (next < batches.length) {
        const batch = batches[next++] as (typeof batches)[number];
        try {
          await this.describeBatch(batch.cluster, batch.rows, out, stats);
        } catch (err) {
          // One failed batch (throttled past the retries, a missing cluster) must not hide the others' news.
          stats.failedBatches++;
          log().warn({ cluster: batch.cluster, error: (err as Error).name }, "DescribeTasks failed");
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(DESCRIBE_CONCURRENCY, batches.length) }, worker));
    return out;
  }

  private async describeBatch(
    cluster: string,
    rows: ExecutionRow[],
    out: Map<string, Observation>,
    stats: FargateHost["lastDescribe"],
  ): Promise<void> {
    const res = await withThrottleRetry(
      () => {
        stats.calls++;
        return ecsClient().send(new DescribeTasksCommand({ cluster, tasks: rows.map((r) => r.taskArn as string) }));
      },
      {
        ...this.retry,
        onThrottle: () => {
          stats.throttled++;
          this.retry.onThrottle?.();
        },
      },
    );
    const byArn = new Map((res.tasks ?? []).map((t) => [t.taskArn, t]));
    const missing = new Set((res.failures ?? []).filter((f) => f.reason === "MISSING").map((f) => f.arn));
    for (const row of rows) {
      const task = byArn.get(row.taskArn as string);
      if (!task) {
        if (missing.has(row.taskArn as string)) {
          out.set(row.id, {
            status: "failed",
            stoppedReason: "ECS no longer knows this task",
            log: "ECS reports the task as MISSING",
          });
        }
        continue;
      }
      const obs = observeTask(task, (row.hostState as FargateState).container_name);
      if (!obs) continue;
      if (obs.status !== row.status) out.set(row.id, obs);
    }
  }

  async stop(row: ExecutionRow, reason: string): Promise<void> {
    const st = row.hostState as FargateState;
    if (!row.taskArn || !st.cluster) return;
    await withThrottleRetry(
      () =>
        ecsClient().send(
          new StopTaskCommand({ cluster: st.cluster, task: row.taskArn!, reason: reason.slice(0, 255) }),
        ),
      this.retry,
    );
  }
}
