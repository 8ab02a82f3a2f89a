import {
  LOCAL_AGENTCORE_REGION,
  demoAgentCoreRuntimes,
  demoAllowedRuntimeArns,
  demoConfiguredAgentEnv,
} from "@/db/seed/demo-agents";
import { startAgentCoreServer, type AgentCoreServer } from "../agentcore-server";
import type { DeployedRuntimes } from "./agent-host";

/** Fake credentials the local endpoint accepts (they open nothing on AWS). */
export const LOCAL_AGENTCORE_CREDENTIALS = {
  accessKeyId: "AKIALOCALAGENTCORE01",
  secretAccessKey: "local-agentcore-secret-key-not-for-aws-0000",
};

export interface DevAgentCore {
  server: AgentCoreServer;
  /** Environment to give the app so that it invokes the local endpoint (merge into process.env before `next dev`). */
  env: Record<string, string>;
  arns: string[];
  close(): Promise<void>;
}

/**
 * Starts the local AgentCore endpoint for `npm run dev` when no AWS configuration is present: it hosts the demo
 * agents of db/seed/demo-agents.ts (and the configured onboarding/provisioning/mwc), and returns the environment the app
 * needs (endpoint override, region, the fake credentials, the configured ARNs).
 */
export async function startDevAgentCore(deployed?: DeployedRuntimes): Promise<DevAgentCore> {
  const agents: Record<string, { artifact: string; env?: Record<string, string> }> = {};
  // Dev keeps a little delay between streamed chunks so that streaming is visible in the browser.
  for (const a of demoAgentCoreRuntimes())
    agents[a.runtimeArn] = { artifact: a.artifact, env: { STREAM_CHUNK_DELAY_MS: "40" } };
  const server = await startAgentCoreServer({
    region: LOCAL_AGENTCORE_REGION,
    credentials: LOCAL_AGENTCORE_CREDENTIALS,
    agents,
    // Runtimes deployed through the local control plane (the agentcore deployment host) are served here too.
    deployed,
  });
  const env: Record<string, string> = {
    AWS_ENDPOINT_URL_BEDROCK_AGENTCORE: server.url,
    AWS_REGION: LOCAL_AGENTCORE_REGION,
    AWS_ACCESS_KEY_ID: LOCAL_AGENTCORE_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: LOCAL_AGENTCORE_CREDENTIALS.secretAccessKey,
    // The operator's allow-list: the demo runtimes this endpoint hosts (the configured ones are allowed anyway).
    AGENTCORE_ALLOWED_RUNTIME_ARNS: demoAllowedRuntimeArns(),
    ...demoConfiguredAgentEnv(),
  };
  return { server, env, arns: server.arns, close: () => server.close() };
}
