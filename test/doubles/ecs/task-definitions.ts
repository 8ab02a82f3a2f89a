import { imageArtifact } from "../images";
import { EcsError } from "./actions";
import type { TaskDefinitionSpec } from "./lifecycle";
import { ACCOUNT, REGION, familyOf } from "./task";

/**
 * Task definitions of the ECS double: RegisterTaskDefinition / DeregisterTaskDefinition / DescribeTaskDefinition
 * (revisions, Fargate's cpu/memory pairs, awsvpc, the awslogs configuration the tasks write through), and the
 * families the operator registered before the app started (`seed`).
 */

/**
 * The RegisterTaskDefinition body of a one-container Fargate family (256 CPU units, 512 MiB, awsvpc) whose container
 * logs through awslogs: what a seeded family holds, and what the double's own tests register.
 */
export function fargateTaskBody(o: {
  family: string;
  containerName: string;
  image: string;
  env?: Record<string, string>;
  logs: { group: string; streamPrefix: string };
}) {
  return {
    family: o.family,
    requiresCompatibilities: ["FARGATE" as const],
    networkMode: "awsvpc" as const,
    cpu: "256",
    memory: "512",
    containerDefinitions: [
      {
        name: o.containerName,
        image: o.image,
        essential: true,
        ...(o.env ? { environment: Object.entries(o.env).map(([name, value]) => ({ name, value })) } : {}),
        logConfiguration: {
          logDriver: "awslogs" as const,
          options: {
            "awslogs-group": o.logs.group,
            "awslogs-region": REGION,
            "awslogs-stream-prefix": o.logs.streamPrefix,
          },
        },
      },
    ],
  };
}

export interface Revision {
  arn: string;
  family: string;
  revision: number;
  status: "ACTIVE" | "INACTIVE";
  body: Record<string, any>;
  spec: TaskDefinitionSpec | undefined;
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

export class TaskDefinitions {
  private readonly revisions = new Map<string, Revision[]>();

  constructor(
    /** Family -> spec, which RunTask reads: a registration makes its family runnable. */
    private readonly defs: Record<string, TaskDefinitionSpec>,
    private readonly images: Record<string, string>,
  ) {}

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
    return { taskDefinition: this.json(r) };
  }

  /** A revision as DescribeTaskDefinition returns it (the action, and tests reading what was registered). */
  describe(ref: string): Record<string, any> {
    return this.json(this.revision(ref));
  }

  /**
   * A family the operator registered before the app started (the double's `taskDefinitions` option): revision 1,
   * its container logging to `logGroup` through awslogs with the stream prefix `ecs`.
   */
  seed(family: string, given: TaskDefinitionSpec, logGroup: string): TaskDefinitionSpec {
    const spec = { ...given, logs: given.logs ?? { group: logGroup, streamPrefix: "ecs" } };
    const containerName = spec.containerName ?? "agent";
    const body = fargateTaskBody({
      family,
      containerName,
      image: `${ACCOUNT}.dkr.ecr.${REGION}.amazonaws.com/${spec.artifact}:latest`,
      env: spec.env ?? {},
      logs: spec.logs,
    });
    const arn = `arn:aws:ecs:${REGION}:${ACCOUNT}:task-definition/${family}:1`;
    this.revisions.set(family, [{ arn, family, revision: 1, status: "ACTIVE", body, spec }]);
    return spec;
  }

  deregister(body: Record<string, any>) {
    const r = this.revision(String(body.taskDefinition ?? ""));
    r.status = "INACTIVE";
    return { taskDefinition: this.json(r) };
  }

  revision(ref: string): Revision {
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

  private json(r: Revision) {
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
}
