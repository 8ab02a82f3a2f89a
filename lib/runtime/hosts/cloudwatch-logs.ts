import "server-only";
import { CloudWatchLogsClient, FilterLogEventsCommand } from "@aws-sdk/client-cloudwatch-logs";
import { DescribeTaskDefinitionCommand } from "@aws-sdk/client-ecs";
import { env } from "@/lib/env";
import { ecsClient, withThrottleRetry } from "./ecs-client";

let cached: { key: string; client: CloudWatchLogsClient } | undefined;

/**
 * The CloudWatch Logs client: region and credentials from the standard provider chain, AWS_ENDPOINT_URL_CLOUDWATCH_LOGS
 * pointing it elsewhere (the loopback double). Retries are withThrottleRetry's, as for ECS.
 */
export function logsClient(): CloudWatchLogsClient {
  const e = env();
  const key = `${e.AWS_REGION ?? ""}|${e.AWS_ENDPOINT_URL_CLOUDWATCH_LOGS ?? ""}`;
  if (cached?.key === key) return cached.client;
  cached?.client.destroy();
  const client = new CloudWatchLogsClient({
    ...(e.AWS_REGION ? { region: e.AWS_REGION } : {}),
    ...(e.AWS_ENDPOINT_URL_CLOUDWATCH_LOGS ? { endpoint: e.AWS_ENDPOINT_URL_CLOUDWATCH_LOGS } : {}),
    maxAttempts: 1,
  });
  cached = { key, client };
  return client;
}

/** Where a task definition's container logs: its awslogs group and stream prefix (null: not through awslogs). */
export interface AwsLogsTarget {
  group: string;
  prefix: string;
}

// Task definition revisions are immutable: what one says about logging is cached for the process.
const targets = new Map<string, Promise<AwsLogsTarget | null>>();

/** The awslogs destination of `container` in the task definition revision `arn` (DescribeTaskDefinition). */
export function awsLogsTarget(arn: string, container: string): Promise<AwsLogsTarget | null> {
  const key = `${arn}|${container}`;
  let found = targets.get(key);
  if (!found) {
    found = withThrottleRetry(() => ecsClient().send(new DescribeTaskDefinitionCommand({ taskDefinition: arn }))).then(
      (r) => {
        const defs = r.taskDefinition?.containerDefinitions ?? [];
        const c = defs.find((d) => d.name === container) ?? defs.find((d) => d.essential !== false);
        const options = c?.logConfiguration?.logDriver === "awslogs" ? c.logConfiguration.options : undefined;
        const group = options?.["awslogs-group"];
        return group ? { group, prefix: options["awslogs-stream-prefix"] ?? "" } : null;
      },
    );
    targets.set(key, found);
    found.catch(() => targets.delete(key));
  }
  return found;
}

/** The stream the awslogs driver writes a task's container to: `<prefix>/<container>/<task id>`. */
export const awsLogsStream = (target: AwsLogsTarget, container: string, taskArn: string) =>
  `${target.prefix ? `${target.prefix}/` : ""}${container}/${taskArn.split("/").pop()}`;

export interface StreamEvent {
  stream: string;
  timestamp: number;
  message: string;
}

/** FilterLogEvents accepts at most this many stream names. */
export const MAX_STREAMS_PER_FILTER = 100;

const isNotFound = (err: unknown) => (err as { name?: string })?.name === "ResourceNotFoundException";

/**
 * The events of some of a group's streams since `startTime`, in time order, paged by nextToken. Stops after
 * `maxPages` pages (the rest is read by the next call: callers keep their own cursor per stream). A stream that
 * does not exist yet (its container has written nothing) fails FilterLogEvents for all the names: the streams are
 * then read one by one, the missing one as empty.
 */
export async function filterStreams(
  group: string,
  streams: string[],
  startTime: number,
  maxPages = 20,
): Promise<StreamEvent[]> {
  try {
    return await filterPages(group, streams, startTime, maxPages);
  } catch (err) {
    if (!isNotFound(err) || streams.length === 1) {
      if (isNotFound(err)) return [];
      throw err;
    }
  }
  const each = await Promise.all(streams.map((s) => filterStreams(group, [s], startTime, maxPages)));
  return each.flat().sort((a, b) => a.timestamp - b.timestamp);
}

async function filterPages(group: string, streams: string[], startTime: number, maxPages = 20): Promise<StreamEvent[]> {
  const out: StreamEvent[] = [];
  let nextToken: string | undefined;
  for (let page = 0; page < maxPages; page++) {
    const r = await withThrottleRetry(() =>
      logsClient().send(
        new FilterLogEventsCommand({ logGroupName: group, logStreamNames: streams, startTime, nextToken }),
      ),
    );
    for (const e of r.events ?? []) {
      if (e.logStreamName && e.timestamp !== undefined) {
        out.push({ stream: e.logStreamName, timestamp: e.timestamp, message: (e.message ?? "").replace(/\r?\n$/, "") });
      }
    }
    nextToken = r.nextToken;
    if (!nextToken) break;
  }
  return out;
}
