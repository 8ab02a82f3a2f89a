import "server-only";
import type { RegisterTaskDefinitionCommandInput } from "@aws-sdk/client-ecs";
import { env } from "@/lib/env";
import type { RouteKey, VersionRow } from "../../instances/manager";

/** The port every agent container listens on (the agent contract; AgentCore's too). */
export const AGENT_PORT = 8080;

/** `<operator prefix><agent>-<environment>`: one family per route, a revision per version. */
export function familyOf(route: RouteKey): string {
  const prefix = (env().ECS_TASK_DEFINITION_PREFIX ?? "agent-market-").replace(/-?$/, "-");
  return `${prefix}${route.agentId}-${route.environment}`;
}

/** One ECS service per version, beside the route's others while traffic moves between them. */
export const serviceNameOf = (route: RouteKey, version: VersionRow) => `${familyOf(route)}-${version.id.slice(0, 8)}`;

/** The smallest Fargate size that holds the version's memory_limit (Fargate's cpu/memory pairs). */
export function fargateSize(memoryMb: number): { cpu: string; memory: string } {
  const sizes: [number, number, number][] = [
    [256, 2048, 512],
    [512, 4096, 1024],
    [1024, 8192, 1024],
    [2048, 16384, 1024],
    [4096, 30720, 1024],
  ];
  for (const [cpu, max, step] of sizes) {
    if (memoryMb <= max) {
      const min = cpu === 256 ? 512 : cpu * 2;
      return { cpu: String(cpu), memory: String(Math.max(min, Math.ceil(memoryMb / step) * step)) };
    }
  }
  return { cpu: "4096", memory: "30720" };
}

/** The task definition of a version: the operator's roles and log group, the version's image and size. */
export function taskDefinitionOf(route: RouteKey, version: VersionRow): RegisterTaskDefinitionCommandInput {
  const e = env();
  return {
    family: familyOf(route),
    requiresCompatibilities: ["FARGATE"],
    networkMode: "awsvpc",
    ...fargateSize(version.configuration.memory_limit),
    executionRoleArn: e.ECS_EXECUTION_ROLE_ARN,
    ...(e.ECS_TASK_ROLE_ARN ? { taskRoleArn: e.ECS_TASK_ROLE_ARN } : {}),
    containerDefinitions: [
      {
        name: "agent",
        image: version.containerImage!,
        essential: true,
        portMappings: [{ containerPort: AGENT_PORT, protocol: "tcp" }],
        environment: [
          { name: "PORT", value: String(AGENT_PORT) },
          { name: "HOST", value: "0.0.0.0" },
          { name: "AGENT_ID", value: route.agentId },
          { name: "AGENT_VERSION", value: version.version },
        ],
        logConfiguration: {
          logDriver: "awslogs",
          options: {
            "awslogs-group": e.ECS_LOG_GROUP,
            "awslogs-region": e.AWS_REGION ?? "us-east-1",
            "awslogs-stream-prefix": route.agentId,
          },
        },
      },
    ],
    tags: [
      { key: "agent-market:agent", value: route.agentId },
      { key: "agent-market:version", value: version.version },
    ],
  };
}
