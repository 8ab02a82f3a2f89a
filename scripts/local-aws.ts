/**
 * For `npm run dev` without an AWS account: starts the loopback ECS endpoint and AgentCore endpoint (the
 * protocol-faithful doubles the tests use), both running the demo agents of agents/ as local processes, and
 * returns the environment that points the app's real AWS SDK clients at them. With AWS configuration present
 * (an endpoint override, credentials or a profile) nothing is started unless DEV_LOCAL_AWS=true.
 */
import { DEMO_AGENTCORE_AGENTS, DEMO_CONFIGURED_AGENTS, LOCAL_AGENTCORE_REGION } from "../lib/invoke/demo";
import type { Env } from "../lib/env";
import { demoTaskDefinitions } from "../lib/runtime/demo-agents";
import { startAgentCoreServer } from "../test/doubles/agentcore-server";
import { startEcsServer } from "../test/doubles/ecs-server";

// Not secrets: the local endpoints verify signatures made with these, and nothing else accepts them.
const LOCAL_CREDENTIALS = { accessKeyId: "AKIALOCALDEV00000000", secretAccessKey: "local-dev-secret-key-not-an-aws-key" };

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

  const ecs = await startEcsServer({ taskDefinitions: demoTaskDefinitions(), cwd: process.cwd() });
  const hosted = Object.fromEntries([
    ...DEMO_AGENTCORE_AGENTS.map((a) => [a.runtimeArn, { command: a.command }] as const),
    ...DEMO_CONFIGURED_AGENTS.map((a) => [a.runtimeArn, { command: a.command }] as const),
  ]);
  const agentcore = await startAgentCoreServer({
    region: LOCAL_AGENTCORE_REGION,
    credentials: LOCAL_CREDENTIALS,
    agents: hosted,
  });
  console.log(`[dev] local ECS endpoint ${ecs.url}, local AgentCore endpoint ${agentcore.url}`);

  const env: Record<string, string> = {
    AWS_REGION: LOCAL_AGENTCORE_REGION,
    AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
    AWS_ENDPOINT_URL_ECS: ecs.url,
    AWS_ENDPOINT_URL_BEDROCK_AGENTCORE: agentcore.url,
  };
  for (const a of DEMO_CONFIGURED_AGENTS) env[a.envVar] = a.runtimeArn;
  return {
    env,
    close: async () => {
      await Promise.allSettled([ecs.close(), agentcore.close()]);
    },
  };
}
