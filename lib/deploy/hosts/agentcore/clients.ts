import "server-only";
import { BedrockAgentCoreControlClient } from "@aws-sdk/client-bedrock-agentcore-control";
import { S3Client } from "@aws-sdk/client-s3";
import { env } from "@/lib/env";

/**
 * The AgentCore control-plane and S3 clients of the deployment host. Region and credentials come from the standard
 * provider chain; the AWS_ENDPOINT_URL_* variables point them at the loopback doubles. The control plane's SDK
 * retries are off: withThrottleRetry (lib/runtime/hosts/ecs-client.ts) owns retrying throttled calls.
 */
let cached: { key: string; control: BedrockAgentCoreControlClient; s3: S3Client } | undefined;

export function agentCoreClients(): { control: BedrockAgentCoreControlClient; s3: S3Client } {
  const e = env();
  const key = [e.AWS_REGION, e.AWS_ENDPOINT_URL_BEDROCK_AGENTCORE_CONTROL, e.AWS_ENDPOINT_URL_S3].join("|");
  if (cached?.key === key) return cached;
  cached?.control.destroy();
  cached?.s3.destroy();
  const region = e.AWS_REGION ? { region: e.AWS_REGION } : {};
  cached = {
    key,
    control: new BedrockAgentCoreControlClient({
      ...region,
      ...(e.AWS_ENDPOINT_URL_BEDROCK_AGENTCORE_CONTROL
        ? { endpoint: e.AWS_ENDPOINT_URL_BEDROCK_AGENTCORE_CONTROL }
        : {}),
      maxAttempts: 1,
    }),
    // S3 keeps the SDK's standard retries: an upload or HeadObject on a pooled connection the server just closed
    // (or a 503 SlowDown) is retried there rather than failing the package phase.
    s3: new S3Client({
      ...region,
      ...(e.AWS_ENDPOINT_URL_S3 ? { endpoint: e.AWS_ENDPOINT_URL_S3, forcePathStyle: true } : {}),
      maxAttempts: 3,
    }),
  };
  return cached;
}
