/**
 * For `npm run dev` without an AWS account: starts the loopback ECS endpoint and AgentCore endpoint (the
 * protocol-faithful doubles the tests use), both running the demo agents of agents/ as local processes, and
 * returns the environment that points the app's real AWS SDK clients at them. With AWS configuration present
 * (an endpoint override, credentials or a profile) nothing is started unless DEV_LOCAL_AWS=true.
 */
import type { Env } from "../lib/env";
import { demoEcsOperatorEnv, demoTaskDefinitions } from "../db/seed/demo-agents";
import { startDevAgentCore } from "../test/doubles/agentcore/dev";
import { startEcsServer } from "../test/doubles/ecs-server";

export interface LocalAws {
  env: Record<string, string>;
  close(): Promise<void>;
}

export function awsConfigured(e: Env): boolean {
  return Boolean(
    e.AWS_ENDPOINT_URL_ECS ||
    e.AWS_ENDPOINT_URL_BEDROCK_AGENTCORE ||
    process.env.AWS_ACCESS_KEY_ID ||
    process.env.AWS_PROFILE ||
    process.env.AWS_CONTAINER_CREDENTIALS_FULL_URI,
  );
}

export async function startLocalAws(e: Env): Promise<LocalAws> {
  if (awsConfigured(e) && !e.DEV_LOCAL_AWS) return { env: {}, close: async () => {} };
  const ecs = await startEcsServer({ taskDefinitions: demoTaskDefinitions() });
  const agentcore = await startDevAgentCore();
  console.log(`[dev] local ECS endpoint ${ecs.url}, local AgentCore endpoint ${agentcore.server.url}`);
  return {
    // The ECS endpoint checks that requests are SigV4-signed; the AgentCore credentials serve for both. The app
    // gets the operator's ECS configuration (cluster, network, roles, family prefix) the local endpoint serves.
    env: { ...agentcore.env, ...demoEcsOperatorEnv(), AWS_ENDPOINT_URL_ECS: ecs.url },
    close: async () => {
      await Promise.allSettled([ecs.close(), agentcore.close()]);
    },
  };
}
