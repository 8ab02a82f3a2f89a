import { randomBytes } from "node:crypto";

/** One task of the ECS double, as much of the ECS Task shape as the app and the SDK read. */
export interface FakeTask {
  arn: string;
  id: string;
  cluster: string;
  family: string;
  containerName: string;
  startedBy?: string;
  group: string;
  lastStatus:
    "PROVISIONING" | "PENDING" | "ACTIVATING" | "RUNNING" | "DEACTIVATING" | "STOPPING" | "DEPROVISIONING" | "STOPPED";
  desiredStatus: "RUNNING" | "STOPPED";
  createdAt: number;
  startedAt?: number;
  stoppingAt?: number;
  stoppedAt?: number;
  stopCode?: string;
  stoppedReason?: string;
  exitCode?: number;
  containerReason?: string;
  hostPort?: number;
  subnet: string;
  eniId: string;
  overrides: unknown;
  /** As RunTask sent them: the task definition reference and awsvpc configuration (tests check the operator's). */
  taskDefinition?: string;
  networkConfiguration?: unknown;
  /** Last lines the process wrote (what CloudWatch would hold), for debugging tests. */
  output: string[];
  version: number;
}

export const REGION = "us-east-1";
export const ACCOUNT = "123456789012";

export const clusterArn = (cluster: string) => `arn:aws:ecs:${REGION}:${ACCOUNT}:cluster/${cluster}`;

/** `family`, `family:3` or a task definition ARN -> the family name. */
export function familyOf(taskDefinition: string): string {
  const tail = taskDefinition.includes("task-definition/")
    ? taskDefinition.split("task-definition/")[1]!
    : taskDefinition;
  return tail.split(":")[0]!;
}

/** `name` or a cluster ARN -> the cluster name. */
export function clusterName(cluster: string | undefined): string {
  if (!cluster) return "default";
  return cluster.includes("cluster/") ? cluster.split("cluster/")[1]! : cluster;
}

export function newTask(init: {
  cluster: string;
  family: string;
  containerName: string;
  startedBy?: string;
  subnet: string;
  overrides: unknown;
}): FakeTask {
  const id = randomBytes(16).toString("hex");
  return {
    ...init,
    id,
    arn: `arn:aws:ecs:${REGION}:${ACCOUNT}:task/${init.cluster}/${id}`,
    group: `family:${init.family}`,
    lastStatus: "PROVISIONING",
    desiredStatus: "RUNNING",
    createdAt: Date.now() / 1000,
    eniId: `eni-${randomBytes(8).toString("hex")}`,
    output: [],
    version: 1,
  };
}

const containerStatus = (t: FakeTask) =>
  t.lastStatus === "RUNNING"
    ? "RUNNING"
    : t.lastStatus === "STOPPED" || t.exitCode !== undefined
      ? "STOPPED"
      : "PENDING";

/** The task as DescribeTasks / RunTask / StopTask return it (ECS JSON: timestamps in epoch seconds). */
export function taskJson(t: FakeTask): Record<string, unknown> {
  const attachmentId = `${t.id.slice(0, 8)}-attach`;
  return {
    taskArn: t.arn,
    clusterArn: clusterArn(t.cluster),
    taskDefinitionArn: t.taskDefinition?.startsWith("arn:")
      ? t.taskDefinition
      : `arn:aws:ecs:${REGION}:${ACCOUNT}:task-definition/${t.family}:1`,
    group: t.group,
    startedBy: t.startedBy,
    launchType: "FARGATE",
    platformVersion: "1.4.0",
    platformFamily: "Linux",
    cpu: "256",
    memory: "512",
    availabilityZone: `${REGION}a`,
    connectivity: "CONNECTED",
    lastStatus: t.lastStatus,
    desiredStatus: t.desiredStatus,
    createdAt: t.createdAt,
    startedAt: t.startedAt,
    stoppingAt: t.stoppingAt,
    stoppedAt: t.stoppedAt,
    stopCode: t.stopCode,
    stoppedReason: t.stoppedReason,
    version: t.version,
    overrides: t.overrides,
    attachments: [
      {
        id: attachmentId,
        type: "ElasticNetworkInterface",
        status: t.lastStatus === "STOPPED" ? "DELETED" : t.lastStatus === "PROVISIONING" ? "PRECREATED" : "ATTACHED",
        details: [
          { name: "subnetId", value: t.subnet },
          { name: "networkInterfaceId", value: t.eniId },
          { name: "macAddress", value: "0a:00:00:00:00:01" },
          { name: "privateDnsName", value: "ip-127-0-0-1.ec2.internal" },
          { name: "privateIPv4Address", value: "127.0.0.1" },
        ],
      },
    ],
    containers: [
      {
        containerArn: `arn:aws:ecs:${REGION}:${ACCOUNT}:container/${t.cluster}/${t.id}/${t.containerName}`,
        taskArn: t.arn,
        name: t.containerName,
        image: `${ACCOUNT}.dkr.ecr.${REGION}.amazonaws.com/${t.family}:latest`,
        lastStatus: containerStatus(t),
        exitCode: t.exitCode,
        reason: t.containerReason,
        healthStatus: t.lastStatus === "RUNNING" ? "HEALTHY" : "UNKNOWN",
        // Not what Fargate returns (awsvpc tasks listen on the ENI's 8080): the double's processes share
        // loopback, so each listens on its own port and says which here. The Fargate host prefers it.
        networkBindings: t.hostPort
          ? [{ bindIP: "127.0.0.1", containerPort: 8080, hostPort: t.hostPort, protocol: "tcp" }]
          : [],
        networkInterfaces: [{ attachmentId, privateIpv4Address: "127.0.0.1" }],
      },
    ],
  };
}
