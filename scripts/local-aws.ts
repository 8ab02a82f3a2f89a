/**
 * For `npm run dev` without an AWS account: starts the loopback ECS endpoint, CloudWatch Logs, the AgentCore data
 * and control planes and S3 (the protocol-faithful doubles the tests use), running the demo agents of agents/ and the
 * versions deployed to `fargate` and `agentcore` as local processes, and
 * returns the environment that points the app's real AWS SDK clients at them. With AWS configuration present
 * (an endpoint override, credentials or a profile) nothing is started unless DEV_LOCAL_AWS=true.
 */
import type { Env } from "../lib/env";
import { demoEcsOperatorEnv, demoTaskDefinitions } from "../db/seed/demo-agents";
import { LOCAL_AGENTCORE_CREDENTIALS, startDevAgentCore } from "../test/doubles/agentcore/dev";
import { startAgentCoreControlServer } from "../test/doubles/agentcore-control-server";
import { startCloudWatchLogsServer } from "../test/doubles/cloudwatch-logs-server";
import { startEcsServer } from "../test/doubles/ecs-server";
import { startS3Server } from "../test/doubles/s3-server";

const LOCAL_ARTIFACTS_BUCKET = "agent-market-artifacts";

export interface LocalAws {
  env: Record<string, string>;
  close(): Promise<void>;
}

export function awsConfigured(e: Env): boolean {
  return Boolean(
    e.AWS_ENDPOINT_URL_ECS ||
    e.AWS_ENDPOINT_URL_BEDROCK_AGENTCORE ||
    e.AWS_ENDPOINT_URL_BEDROCK_AGENTCORE_CONTROL ||
    e.AWS_ENDPOINT_URL_S3 ||
    e.AWS_ENDPOINT_URL_CLOUDWATCH_LOGS ||
    process.env.AWS_ACCESS_KEY_ID ||
    process.env.AWS_PROFILE ||
    process.env.AWS_CONTAINER_CREDENTIALS_FULL_URI,
  );
}

export async function startLocalAws(e: Env): Promise<LocalAws> {
  if (awsConfigured(e) && !e.DEV_LOCAL_AWS) return { env: {}, close: async () => {} };
  // Containers' output goes to the local CloudWatch Logs through awslogs; runs read it back from there.
  const logs = await startCloudWatchLogsServer({ credentials: LOCAL_AGENTCORE_CREDENTIALS, groups: [e.ECS_LOG_GROUP] });
  const ecs = await startEcsServer({
    taskDefinitions: demoTaskDefinitions(),
    credentials: LOCAL_AGENTCORE_CREDENTIALS,
    logs: logs.store,
    logGroup: e.ECS_LOG_GROUP,
  });
  // Deployments to `agentcore`: the bucket and control plane it needs, whose runtimes the data plane serves.
  const s3 = await startS3Server({ credentials: LOCAL_AGENTCORE_CREDENTIALS, buckets: [LOCAL_ARTIFACTS_BUCKET] });
  const control = await startAgentCoreControlServer({
    credentials: LOCAL_AGENTCORE_CREDENTIALS,
    object: (bucket, key) => s3.get(bucket, key)?.body,
    stepMs: 500,
  });
  const agentcore = await startDevAgentCore(control.deployed);
  console.log(
    `[dev] local ECS ${ecs.url}, CloudWatch Logs ${logs.url}, AgentCore ${agentcore.server.url} (control ${control.url}), S3 ${s3.url}`,
  );
  return {
    // The ECS endpoint checks that requests are SigV4-signed; the AgentCore credentials serve for both. The app
    // gets the operator's ECS configuration (cluster, network, roles, family prefix) the local endpoint serves.
    env: {
      ...agentcore.env,
      ...demoEcsOperatorEnv(),
      AWS_ENDPOINT_URL_ECS: ecs.url,
      AWS_ENDPOINT_URL_CLOUDWATCH_LOGS: logs.url,
      AWS_ENDPOINT_URL_BEDROCK_AGENTCORE_CONTROL: control.url,
      AWS_ENDPOINT_URL_S3: s3.url,
      AGENT_ARTIFACTS_BUCKET: LOCAL_ARTIFACTS_BUCKET,
      AGENTCORE_EXECUTION_ROLE_ARN: "arn:aws:iam::123456789012:role/agent-market-agentcore-runtime",
    },
    close: async () => {
      await Promise.allSettled([ecs.close(), logs.close(), agentcore.close(), control.close(), s3.close()]);
    },
  };
}
