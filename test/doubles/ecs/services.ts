import { randomBytes } from "node:crypto";
import { EcsError } from "./actions";
import type { TaskDefinitionSpec, TaskLifecycle } from "./lifecycle";
import { ACCOUNT, REGION, clusterArn, clusterName, newTask, type FakeTask } from "./task";
import { TaskDefinitions } from "./task-definitions";

/**
 * Services of the ECS double (its task definitions are task-definitions.ts): CreateService / UpdateService /
 * DescribeServices / DeleteService and ListTasks, with a scheduler that keeps each service at its desiredCount (starting tasks of its revision,
 * replacing those that stopped, stopping the newest extras) as the ECS service scheduler does.
 */

interface Service {
  arn: string;
  name: string;
  cluster: string;
  status: "ACTIVE" | "DRAINING" | "INACTIVE";
  taskDefinition: string;
  desiredCount: number;
  networkConfiguration: any;
  createdAt: number;
  deploymentId: string;
  events: { id: string; createdAt: number; message: string }[];
}

export class EcsServices {
  private readonly definitions: TaskDefinitions;
  readonly services = new Map<string, Service>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly tasks: Map<string, FakeTask>,
    private readonly lifecycle: TaskLifecycle,
    /** Family -> spec, which RunTask reads: a registration makes its family runnable. */
    defs: Record<string, TaskDefinitionSpec>,
    images: Record<string, string>,
    stepMs: number,
  ) {
    this.definitions = new TaskDefinitions(defs, images);
    this.timer = setInterval(() => this.reconcile(), Math.max(10, stepMs));
  }

  register = (body: Record<string, any>) => this.definitions.register(body);
  deregister = (body: Record<string, any>) => this.definitions.deregister(body);
  /** A revision as DescribeTaskDefinition returns it (the action, and tests reading what was registered). */
  describeTaskDefinition = (ref: string) => this.definitions.describe(ref);
  seed = (family: string, spec: TaskDefinitionSpec, logGroup: string) => this.definitions.seed(family, spec, logGroup);

  createService(body: Record<string, any>) {
    const cluster = clusterName(body.cluster);
    const name = String(body.serviceName ?? "");
    if (!/^[A-Za-z0-9_-]{1,255}$/.test(name)) throw new EcsError("InvalidParameterException", "Invalid service name.");
    const existing = this.services.get(`${cluster}/${name}`);
    if (existing && existing.status !== "INACTIVE") {
      throw new EcsError("InvalidParameterException", "Creation of service was not idempotent.");
    }
    const r = this.definitions.revision(String(body.taskDefinition ?? ""));
    if (r.status !== "ACTIVE") throw new EcsError("ClientException", "TaskDefinition is inactive");
    if (!(body.networkConfiguration?.awsvpcConfiguration?.subnets ?? []).length) {
      throw new EcsError(
        "InvalidParameterException",
        "Network Configuration must be provided when networkMode 'awsvpc' is specified.",
      );
    }
    const s: Service = {
      arn: `arn:aws:ecs:${REGION}:${ACCOUNT}:service/${cluster}/${name}`,
      name,
      cluster,
      status: "ACTIVE",
      taskDefinition: r.arn,
      desiredCount: this.count(body.desiredCount ?? 0),
      networkConfiguration: body.networkConfiguration,
      createdAt: Date.now() / 1000,
      deploymentId: `ecs-svc/${randomBytes(8).toString("hex")}`,
      events: [],
    };
    this.services.set(`${cluster}/${name}`, s);
    return { service: this.serviceJson(s) };
  }

  updateService(body: Record<string, any>) {
    const s = this.service(body.cluster, String(body.service ?? ""));
    if (s.status !== "ACTIVE") throw new EcsError("ServiceNotActiveException", "Service was not ACTIVE.");
    if (body.desiredCount !== undefined) s.desiredCount = this.count(body.desiredCount);
    if (body.taskDefinition) s.taskDefinition = this.definitions.revision(String(body.taskDefinition)).arn;
    return { service: this.serviceJson(s) };
  }

  describeServices(body: Record<string, any>) {
    const cluster = clusterName(body.cluster);
    const refs: string[] = body.services ?? [];
    if (refs.length === 0 || refs.length > 10)
      throw new EcsError("InvalidParameterException", "services must hold 1-10 names");
    const services: unknown[] = [];
    const failures: { arn: string; reason: string }[] = [];
    for (const ref of refs) {
      const s = this.services.get(`${cluster}/${ref.split("/").pop()}`);
      if (s) services.push(this.serviceJson(s));
      else failures.push({ arn: `arn:aws:ecs:${REGION}:${ACCOUNT}:service/${cluster}/${ref}`, reason: "MISSING" });
    }
    return { services, failures };
  }

  deleteService(body: Record<string, any>) {
    const s = this.service(body.cluster, String(body.service ?? ""));
    if (s.status !== "ACTIVE") throw new EcsError("ServiceNotActiveException", "Service was not ACTIVE.");
    if (s.desiredCount > 0 && !body.force) {
      throw new EcsError("InvalidParameterException", "The service cannot be stopped while it is scaled above 0.");
    }
    s.desiredCount = 0;
    s.status = "DRAINING";
    return { service: this.serviceJson(s) };
  }

  listTasks(body: Record<string, any>) {
    const cluster = clusterName(body.cluster);
    const wanted = body.desiredStatus ?? "RUNNING";
    const service = body.serviceName ? this.service(cluster, String(body.serviceName)) : null;
    const taskArns = [...this.tasks.values()]
      .filter((t) => t.cluster === cluster && t.desiredStatus === wanted)
      .filter((t) => !service || t.startedBy === service.deploymentId)
      .filter((t) => !body.family || t.family === body.family)
      .map((t) => t.arn);
    return { taskArns };
  }

  close(): void {
    clearInterval(this.timer);
  }

  private count(n: unknown): number {
    if (!Number.isInteger(n) || (n as number) < 0)
      throw new EcsError("InvalidParameterException", "desiredCount must be >= 0");
    return n as number;
  }

  private service(cluster: unknown, ref: string): Service {
    const s = this.services.get(`${clusterName(cluster as string | undefined)}/${ref.split("/").pop()}`);
    if (!s || s.status === "INACTIVE") throw new EcsError("ServiceNotFoundException", "Service not found.");
    return s;
  }

  private live(s: Service): FakeTask[] {
    return [...this.tasks.values()].filter((t) => t.startedBy === s.deploymentId && t.desiredStatus === "RUNNING");
  }

  /** The service scheduler: every service toward its desiredCount; a drained service becomes INACTIVE. */
  private reconcile(): void {
    for (const s of this.services.values()) {
      if (s.status === "INACTIVE") continue;
      const live = this.live(s);
      if (live.length < s.desiredCount) {
        const r = this.definitions.revision(s.taskDefinition);
        for (let i = live.length; i < s.desiredCount; i++) {
          const t = newTask({
            cluster: s.cluster,
            family: r.family,
            containerName: r.spec?.containerName ?? "agent",
            startedBy: s.deploymentId,
            subnet: s.networkConfiguration.awsvpcConfiguration.subnets[0],
            overrides: {},
          });
          Object.assign(t, {
            group: `service:${s.name}`,
            taskDefinition: r.arn,
            networkConfiguration: s.networkConfiguration,
          });
          this.tasks.set(t.arn, t);
          this.lifecycle.place(t, r.spec, {});
          this.event(s, `(service ${s.name}) has started 1 tasks: (task ${t.id}).`);
        }
      } else if (live.length > s.desiredCount) {
        const extra = live.sort((a, b) => b.createdAt - a.createdAt).slice(0, live.length - s.desiredCount);
        for (const t of extra) this.lifecycle.stop(t, `Scaling activity initiated by (deployment ${s.deploymentId})`);
        this.event(s, `(service ${s.name}) has stopped ${extra.length} running tasks.`);
      } else if (s.status === "DRAINING" && live.length === 0) {
        s.status = "INACTIVE";
      }
    }
  }

  private event(s: Service, message: string): void {
    s.events.unshift({ id: randomBytes(8).toString("hex"), createdAt: Date.now() / 1000, message });
    s.events.length = Math.min(s.events.length, 100);
  }

  private serviceJson(s: Service) {
    const tasks = this.live(s);
    const running = tasks.filter((t) => t.lastStatus === "RUNNING").length;
    return {
      serviceArn: s.arn,
      serviceName: s.name,
      clusterArn: clusterArn(s.cluster),
      status: s.status,
      desiredCount: s.desiredCount,
      runningCount: running,
      pendingCount: tasks.length - running,
      launchType: "FARGATE",
      taskDefinition: s.taskDefinition,
      networkConfiguration: s.networkConfiguration,
      createdAt: s.createdAt,
      deployments: [
        {
          id: s.deploymentId,
          status: "PRIMARY",
          taskDefinition: s.taskDefinition,
          desiredCount: s.desiredCount,
          runningCount: running,
          pendingCount: tasks.length - running,
          rolloutState: running === s.desiredCount ? "COMPLETED" : "IN_PROGRESS",
        },
      ],
      events: s.events.slice(0, 10),
    };
  }
}
