import type { AwsCredentialIdentity } from "@smithy/types";
import { AwsJsonError, startAwsJsonServer, type AwsJsonCall } from "./aws-json";
import { LogStore } from "./cloudwatch-logs/store";

/**
 * A protocol-faithful CloudWatch Logs endpoint for tests and offline development: the JSON 1.1 protocol
 * (`X-Amz-Target: Logs_20140328.<Action>`), SigV4 verified for real (signing name `logs`), for CreateLogGroup,
 * CreateLogStream, PutLogEvents, GetLogEvents and FilterLogEvents over state it keeps (cloudwatch-logs/store.ts).
 * The ECS double's tasks write their containers' stdout and stderr here, as the awslogs driver does. Faults:
 * throttling and a service outage. Never used in production: the real CloudWatchLogsClient is pointed here
 * through AWS_ENDPOINT_URL_CLOUDWATCH_LOGS.
 */

export interface CloudWatchLogsFaults {
  /** The next N calls answer 400 ThrottlingException. */
  throttle: number;
  /** The next N calls answer 503 ServiceUnavailableException. */
  unavailable: number;
}

export interface CloudWatchLogsServer {
  url: string;
  store: LogStore;
  calls: (AwsJsonCall & { nextToken?: string })[];
  setFault(f: Partial<CloudWatchLogsFaults>): void;
  close(): Promise<void>;
}

export interface CloudWatchLogsOptions {
  credentials: AwsCredentialIdentity | AwsCredentialIdentity[];
  region?: string;
  /** Log groups that exist from the start (the operator's). */
  groups?: string[];
}

export async function startCloudWatchLogsServer(opts: CloudWatchLogsOptions): Promise<CloudWatchLogsServer> {
  const store = new LogStore();
  for (const g of opts.groups ?? []) store.createGroup(g);
  const faults: CloudWatchLogsFaults = { throttle: 0, unavailable: 0 };
  const calls: CloudWatchLogsServer["calls"] = [];
  const server = await startAwsJsonServer({
    targetPrefix: "Logs_20140328",
    service: "logs",
    region: opts.region ?? "us-east-1",
    credentials: Array.isArray(opts.credentials) ? opts.credentials : [opts.credentials],
    handlers: {
      CreateLogGroup: (b) => (store.createGroup(String(b.logGroupName ?? "")), {}),
      CreateLogStream: (b) => (store.createStream(String(b.logGroupName ?? ""), String(b.logStreamName ?? "")), {}),
      PutLogEvents: (b) => store.putLogEvents(b),
      GetLogEvents: (b) => store.getLogEvents(b),
      FilterLogEvents: (b) => store.filterLogEvents(b),
    },
    before: () => {
      if (faults.throttle > 0) {
        faults.throttle--;
        throw new AwsJsonError("ThrottlingException", "Rate exceeded");
      }
      if (faults.unavailable > 0) {
        faults.unavailable--;
        throw new AwsJsonError("ServiceUnavailableException", "The service is unavailable", 503);
      }
    },
    onCall: (call, body) =>
      calls.push({ ...call, ...(typeof body.nextToken === "string" ? { nextToken: body.nextToken } : {}) }),
  });
  return {
    url: server.url,
    store,
    calls,
    setFault: (f) => void Object.assign(faults, f),
    close: () => server.close(),
  };
}
