import "server-only";
import os from "node:os";
import { randomBytes } from "node:crypto";
import {
  CreateServiceCommand,
  DeleteServiceCommand,
  DeregisterTaskDefinitionCommand,
  DescribeServicesCommand,
  DescribeTasksCommand,
  ListTasksCommand,
  RegisterTaskDefinitionCommand,
  UpdateServiceCommand,
  type Task,
} from "@aws-sdk/client-ecs";
import { env } from "@/lib/env";
import { ecsClient, withThrottleRetry } from "@/lib/runtime/hosts/ecs-client";
import { checkHealth } from "../../instances/health";
import type { HealthSettings, InstanceRow, RouteKey, VersionRow } from "../../instances/manager";
import { Gateways, proxyTo } from "../gateway";
import { pollUntil, RemoteRows } from "../rows";
import type { AwsHost } from "../types";
import { lastOutput } from "./task-logs";
import { AGENT_PORT, serviceNameOf, taskDefinitionOf } from "./task-definition";

const send = <T>(fn: () => Promise<T>) => withThrottleRetry(fn);
const list = (v: string | undefined) =>
  (v ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);

/** A task's address: its ENI's private IP on the agent port (the double says which loopback port it took). */
function originOf(task: Task): string | null {
  const c = task.containers?.[0];
  const ip = c?.networkInterfaces?.[0]?.privateIpv4Address;
  if (!ip) return null;
  const port = c?.networkBindings?.find((b) => b.containerPort === AGENT_PORT)?.hostPort ?? AGENT_PORT;
  return `http://${ip}:${port}`;
}

/** The version's service while it is ACTIVE (a deleted one is DRAINING, then INACTIVE), or undefined. */
async function activeService(serviceName: string) {
  const { services } = await send(() =>
    ecsClient().send(new DescribeServicesCommand({ cluster: env().ECS_CLUSTER, services: [serviceName] })),
  );
  return services?.find((s) => s.status === "ACTIVE");
}

/**
 * Deployments on ECS Fargate: a version is a task definition revision in the route's family and an ECS service
 * (desiredCount = the version's instance count); an instance is one RUNNING task of it, reached at its address
 * (DescribeTasks) through a gateway socket. Retiring a version scales its service to zero, deletes it and
 * deregisters its revision.
 */
export class FargateHost implements AwsHost {
  private readonly rows = new RemoteRows(
    "fargate",
    `${os.hostname()}:${process.pid}:${randomBytes(4).toString("hex")}`,
  );
  private readonly gateways = new Gateways();
  /** Instance row id -> its task and row. */
  private readonly tasks = new Map<string, { arn: string; row: InstanceRow }>();

  unavailable(): string | null {
    const e = env();
    if (!e.ECS_CLUSTER) return "ECS_CLUSTER is not set";
    if (!e.ECS_SUBNETS) return "ECS_SUBNETS is not set";
    if (!e.ECS_EXECUTION_ROLE_ARN) return "ECS_EXECUTION_ROLE_ARN is not set";
    return null;
  }

  async prepare(version: VersionRow): Promise<string> {
    if (version.source !== "image" || !version.containerImage) {
      throw new Error("only a version with a container_image runs on Fargate");
    }
    return `container image ${version.containerImage}`;
  }

  activeInstances(route: RouteKey, versionId?: string) {
    return this.rows.active(route, versionId);
  }

  async ensure(route: RouteKey, version: VersionRow, count: number, health: HealthSettings) {
    const rows = (await this.rows.active(route, version.id)).filter((r) => r.status !== "draining");
    try {
      if (count === 0) {
        await this.retire(route, version, rows);
        return { serving: 0, started: 0, stopped: rows.length, errors: [] };
      }
      await this.scale(route, version, count);
      const started = await this.sync(route, version, count, health);
      return { serving: rows.length + started, started, stopped: 0, errors: [] };
    } catch (err) {
      return { serving: rows.length, started: 0, stopped: 0, errors: [(err as Error).message] };
    }
  }

  /** The version's service at `count` tasks: registered and created the first time, updated after. */
  private async scale(route: RouteKey, version: VersionRow, count: number): Promise<void> {
    const e = env();
    const ecs = ecsClient();
    const serviceName = serviceNameOf(route, version);
    const current = await activeService(serviceName);
    if (current) {
      if (current.desiredCount !== count) {
        await send(() =>
          ecs.send(new UpdateServiceCommand({ cluster: e.ECS_CLUSTER, service: serviceName, desiredCount: count })),
        );
      }
      return;
    }
    const { taskDefinition } = await send(() =>
      ecs.send(new RegisterTaskDefinitionCommand(taskDefinitionOf(route, version))),
    );
    await send(() =>
      ecs.send(
        new CreateServiceCommand({
          cluster: e.ECS_CLUSTER,
          serviceName,
          taskDefinition: taskDefinition!.taskDefinitionArn,
          desiredCount: count,
          launchType: "FARGATE",
          networkConfiguration: {
            awsvpcConfiguration: {
              subnets: list(e.ECS_SUBNETS),
              securityGroups: list(e.ECS_SECURITY_GROUPS),
              assignPublicIp: e.ECS_ASSIGN_PUBLIC_IP ? "ENABLED" : "DISABLED",
            },
          },
        }),
      ),
    );
  }

  private async serviceTasks(
    route: RouteKey,
    version: VersionRow,
    desiredStatus: "RUNNING" | "STOPPED",
  ): Promise<Task[]> {
    const e = env();
    const ecs = ecsClient();
    const { taskArns } = await send(() =>
      ecs.send(
        new ListTasksCommand({ cluster: e.ECS_CLUSTER, serviceName: serviceNameOf(route, version), desiredStatus }),
      ),
    );
    if (!taskArns?.length) return [];
    const { tasks } = await send(() =>
      ecs.send(new DescribeTasksCommand({ cluster: e.ECS_CLUSTER, tasks: taskArns.slice(0, 100) })),
    );
    return tasks ?? [];
  }

  /** Waits for `count` RUNNING tasks and gives each new one a row and a gateway; returns how many it added. */
  private async sync(route: RouteKey, version: VersionRow, count: number, health: HealthSettings): Promise<number> {
    const running = await pollUntil<Task[]>(
      async () => {
        const tasks = (await this.serviceTasks(route, version, "RUNNING")).filter((t) => t.lastStatus === "RUNNING");
        if (tasks.length >= count) return { done: tasks };
        const stopped = await this.serviceTasks(route, version, "STOPPED");
        const why = stopped.find((t) => t.stoppedReason)?.stoppedReason;
        return { state: `${tasks.length}/${count} tasks RUNNING${why ? `; a task stopped: ${why}` : ""}` };
      },
      env().DEPLOY_AWS_READY_TIMEOUT_S * 1000,
      `the service ${serviceNameOf(route, version)} did not reach ${count} RUNNING tasks`,
    );
    const known = new Set([...this.tasks.values()].map((t) => t.arn));
    let added = 0;
    for (const task of running) {
      const origin = originOf(task);
      if (!origin || known.has(task.taskArn!)) continue;
      const row = await this.rows.insert(route, version.id, `task ${task.taskArn}`);
      this.tasks.set(row.id, { arn: task.taskArn!, row });
      const address = await this.gateways.open(row.id, proxyTo(origin));
      await this.rows.serve(row, address, await checkHealth(address, health.path, health.timeoutMs));
      added++;
    }
    return added;
  }

  private async retire(route: RouteKey, version: VersionRow, rows: InstanceRow[]): Promise<void> {
    for (const row of rows) await this.rows.mark(row, { status: "draining", reason: "no longer needed" }, true);
    const e = env();
    const ecs = ecsClient();
    const serviceName = serviceNameOf(route, version);
    const current = await activeService(serviceName);
    if (current) {
      await send(() =>
        ecs.send(new UpdateServiceCommand({ cluster: e.ECS_CLUSTER, service: serviceName, desiredCount: 0 })),
      );
      await send(() => ecs.send(new DeleteServiceCommand({ cluster: e.ECS_CLUSTER, service: serviceName })));
      await send(() => ecs.send(new DeregisterTaskDefinitionCommand({ taskDefinition: current.taskDefinition })));
    }
    for (const row of rows) {
      await this.gateways.close(row.id);
      this.tasks.delete(row.id);
      await this.rows.end(row, "stopped", "no longer needed");
    }
  }

  check(route: RouteKey, health: HealthSettings) {
    return this.rows.check(route, health, async (row) => {
      const t = this.tasks.get(row.id);
      if (!t || !this.gateways.has(row.id)) return "its gateway is gone (the controller that started it stopped)";
      const { tasks } = await send(() =>
        ecsClient().send(new DescribeTasksCommand({ cluster: env().ECS_CLUSTER, tasks: [t.arn] })),
      );
      const task = tasks?.[0];
      if (task && task.lastStatus === "RUNNING") return null;
      await this.gateways.close(row.id);
      this.tasks.delete(row.id);
      const last = task ? await lastOutput(route, task) : [];
      return `its task stopped: ${task?.stoppedReason ?? "it is gone"}${last.length ? `; its last output: ${last.join(" | ")}` : ""}`;
    });
  }

  /** The services keep running on AWS; this process's gateways close and their rows end (the next controller syncs). */
  async stopAll(reason = "the controller stopped"): Promise<void> {
    const all = [...this.tasks.values()];
    this.tasks.clear();
    await this.gateways.closeAll();
    await Promise.all(all.map((t) => this.rows.end(t.row, "stopped", reason)));
  }
}
