import "server-only";
import type { Task } from "@aws-sdk/client-ecs";
import { env } from "@/lib/env";
import { awsLogsStream, filterStreams } from "@/lib/runtime/hosts/cloudwatch-logs";
import type { RouteKey } from "../../instances/manager";

/** How many of a stopped task's last lines go with the reason its instance failed. */
const LAST_LINES = 3;
const MAX_LINE = 200;

/**
 * The last lines a deployed version's task wrote (its container's stdout and stderr, through the awslogs
 * configuration task-definition.ts gives it: the operator's group, the agent id as stream prefix), for the reason
 * of an instance whose task stopped. Best effort: empty when CloudWatch cannot be read.
 */
export async function lastOutput(route: RouteKey, task: Task): Promise<string[]> {
  if (!task.taskArn) return [];
  const stream = awsLogsStream({ group: env().ECS_LOG_GROUP, prefix: route.agentId }, "agent", task.taskArn);
  const since = (task.createdAt?.getTime() ?? Date.now() - 3_600_000) - 60_000;
  try {
    const events = await filterStreams(env().ECS_LOG_GROUP, [stream], since, 5);
    return events
      .slice(-LAST_LINES)
      .map((e) => (e.message.length > MAX_LINE ? `${e.message.slice(0, MAX_LINE)}…` : e.message));
  } catch {
    return [];
  }
}
