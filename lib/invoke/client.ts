import "server-only";
import { env } from "@/lib/env";
import { AgentCoreClient } from "@/lib/invoke/transports/client";

// One client per process (cached across Next hot reloads): it holds the credential cache and HTTP agents.
const holder = globalThis as unknown as { __agentCoreClient?: AgentCoreClient };

/**
 * The app's AgentCore client: region from `AWS_REGION` (each ARN's own region is used for signing), the data
 * plane from `AWS_ENDPOINT_URL_BEDROCK_AGENTCORE` when set (the local endpoint), credentials from the standard
 * AWS provider chain, timeouts from `INVOKE_*`.
 */
export function getAgentCoreClient(): AgentCoreClient {
  if (!holder.__agentCoreClient) {
    const e = env();
    holder.__agentCoreClient = new AgentCoreClient(e.AWS_REGION ?? "us-east-1", undefined, {
      endpoint: e.AWS_ENDPOINT_URL_BEDROCK_AGENTCORE,
      timeoutMs: e.INVOKE_TIMEOUT_MS,
      idleTimeoutMs: Math.min(e.INVOKE_IDLE_TIMEOUT_MS, e.INVOKE_TIMEOUT_MS),
      connectTimeoutMs: e.INVOKE_CONNECT_TIMEOUT_MS,
    });
  }
  return holder.__agentCoreClient;
}

/** Tests hand the app a client of their own (pointed at the local endpoint, with no backoff). */
export function setAgentCoreClient(client: AgentCoreClient | undefined): void {
  holder.__agentCoreClient?.destroy();
  holder.__agentCoreClient = client;
}
