import { randomBytes } from "node:crypto";
import { imageArtifact } from "../images";
import { EcsError } from "./actions";
import type { TaskDefinitionSpec, TaskLifecycle } from "./lifecycle";
import { ACCOUNT, REGION, clusterArn, clusterName, familyOf, newTask, type FakeTask } from "./task";

/**
 * Task definitions and services of the ECS double: RegisterTaskDefinition / DeregisterTaskDefinition (revisions,
 * Fargate's cpu/memory pairs, awsvpc), CreateService / UpdateService / DescribeServices / DeleteService and
 * ListTasks, with a scheduler that keeps each service at its desiredCount (starting tasks of its revision,
 * replacing those that stopped, stopping the newest extras) as the ECS service scheduler does.
 */

interface Revision {
  arn: string;
  family: string;
  revision: number;
  status: "ACTIVE" | "INACTIVE";
  body: Record<string, any>;
  spec: TaskDefinitionSpec | undefined;
}

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

/** A container definition's awslogs destination, when it logs through awslogs. */
function awslogsOf(container: Record<string, any>): TaskDefinitionSpec["logs"] {
  const c = container.logConfiguration;
  if (c?.logDriver !== "awslogs" || !c.options?.["awslogs-group"]) return undefined;
  return { group: String(c.options["awslogs-group"]), streamPrefix: String(c.options["awslogs-stream-prefix"] ?? "") };
}

/** Fargate's allowed task sizes: cpu units -> memory MiB range and step. */
const FARGATE: Record<string, [number, number, number]> = {
  "256": [512, 2048, 512],
  "512": [1024, 4096, 1024],
  "1024": [2048, 8192, 1024],
  "2048": [4096, 16384, 1024],
  "4096": [8192, 30720, 1024],
};

export class EcsServices {
  private readonly revisions = new Map<string, Revision[]>();
  readonly services = new Map<string, Service>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly tasks: Map<string, FakeTask>,
    private readonly lifecycle: TaskLifecycle,
    /** Family -> spec, which RunTask reads: a registration makes its family runnable. */
    private readonly defs: Record<string, TaskDefinitionSpec>,
    private readonly images: Record<string, string>,
    stepMs: number,
  ) {
    this.timer = setInterval(() => this.reconcile(), Math.max(10, stepMs));
  }

  register(body: Record<string, any>) {
    const family = String(body.family ?? "");
    if (!/^[A-Za-z0-9_-]{1,255}$/.test(family))
      throw new EcsError("ClientException", "Family contains invalid characters.");
    const containers: any[] = body.containerDefinitions ?? [];
    if (containers.length === 0) throw new EcsError("ClientException", "Container list cannot be empty.");
    if ((body.requiresCompatibilities ?? []).includes("FARGATE")) {
      if (body.networkMode !== "awsvpc") {
        throw new EcsError("ClientException", "Fargate only supports network mode 'awsvpc'.");
      }
      const range = FARGATE[String(body.cpu)];
      const mem = Number(body.memory);
      if (!range || mem < range[0] || mem > range[1] || (mem - range[0]) % range[2] !== 0) {
        throw new EcsError("ClientException", "No Fargate configuration exists for given values.");
      }
    }
    const essential = containers.find((c) => c.essential !== false) ?? containers[0];
    const artifact = imageArtifact(String(essential.image ?? ""), this.images);
    const env: Record<string, string> = {};
    for (const kv of essential.environment ?? []) env[kv.name] = String(kv.value ?? "");
    const spec = artifact
      ? { artifact, env, containerName: String(essential.name), logs: awslogsOf(essential) }
      : undefined;
    const list = this.revisions.get(family) ?? [];
    const revision = list.length + 1;
    const r: Revision = {
      arn: `arn:aws:ecs:${REGION}:${ACCOUNT}:task-definition/${family}:${revision}`,
      family,
      revision,
      status: "ACTIVE",
      body,
      spec,
    };
    list.push(r);
    this.revisions.set(family, list);
    if (spec) this.defs[family] = spec;
    return { taskDefinition: this.revisionJson(r) };
  }

  /** A revision as DescribeTaskDefinition returns it (the action, and tests reading what was registered). */
  describeTaskDefinition(ref: string): Record<string, any> {
    return this.revisionJson(this.revision(ref));
  }

  /**
   * A family the operator registered before the app started (the double's `taskDefinitions` option): revision 1,
   * its container logging to `logGroup` through awslogs with the stream prefix `ecs`.
   */
  seed(family: string, given: TaskDefinitionSpec, logGroup: string): TaskDefinitionSpec {
    const spec = { ...given, logs: given.logs ?? { group: logGroup, streamPrefix: "ecs" } };
    const containerName = spec.containerName ?? "agent";
    const body = {
      family,
      requiresCompatibilities: ["FARGATE"],
      networkMode: "awsvpc",
      cpu: "256",
      memory: "512",
      containerDefinitions: [
        {
          name: containerName,
          image: `${ACCOUNT}.dkr.ecr.${REGION}.amazonaws.com/${spec.artifact}:latest`,
          essential: true,
          environment: Object.entries(spec.env ?? {}).map(([name, value]) => ({ name, value })),
          logConfiguration: {
            logDriver: "awslogs",
            options: {
              "awslogs-group": spec.logs.group,
              "awslogs-region": REGION,
              "awslogs-stream-prefix": spec.logs.streamPrefix,
            },
          },
        },
      ],
    };
    const arn = `arn:aws:ecs:${REGION}:${ACCOUNT}:task-definition/${family}:1`;
    this.revisions.set(family, [{ arn, family, revision: 1, status: "ACTIVE", body, spec }]);
    return spec;
  }

  deregister(body: Record<string, any>) {
    const r = this.revision(String(body.taskDefinition ?? ""));
    r.status = "INACTIVE";
    return { taskDefinition: this.revisionJson(r) };
  }

  createService(body: Record<string, any>) {
    const cluster = clusterName(body.cluster);
    const name = String(body.serviceName ?? "");
    if (!/^[A-Za-z0-9_-]{1,255}$/.test(name)) throw new EcsError("InvalidParameterException", "Invalid service name.");
    const existing = this.services.get(`${cluster}/${name}`);
    if (existing && existing.status !== "INACTIVE") {
      throw new EcsError("InvalidParameterException", "Creation of service was not idempotent.");
    }
    const r = this.revision(String(body.taskDefinition ?? ""));
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
    if (body.taskDefinition) s.taskDefinition = this.revision(String(body.taskDefinition)).arn;
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

  private revision(ref: string): Revision {
    const family = familyOf(ref);
    const list = this.revisions.get(family) ?? [];
    const tail = ref.split("task-definition/").pop()!;
    const n = tail.includes(":")
      ? Number(tail.split(":")[1])
      : list.filter((r) => r.status === "ACTIVE").at(-1)?.revision;
    const r = list.find((x) => x.revision === n);
    if (!r) throw new EcsError("ClientException", "Unable to describe task definition.");
    return r;
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
        const r = this.revision(s.taskDefinition);
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

  private revisionJson(r: Revision) {
    return {
      ...r.body,
      taskDefinitionArn: r.arn,
      family: r.family,
      revision: r.revision,
      status: r.status,
      compatibilities: ["EC2", "FARGATE"],
      registeredAt: Date.now() / 1000,
    };
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
