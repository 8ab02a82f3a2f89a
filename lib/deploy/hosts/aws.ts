import "server-only";
import { AgentCoreHost } from "./agentcore/host";
import { FargateHost } from "./fargate/host";
import type { AwsHost } from "./types";

/**
 * The AWS hosts of a controller. Both always exist; each says it is unavailable (and deployments to it fail in
 * validate with the reason) until the operator's variables for it are set.
 */
export function awsHostsFromEnv(): Partial<Record<"fargate" | "agentcore", AwsHost>> {
  return { agentcore: new AgentCoreHost(), fargate: new FargateHost() };
}
