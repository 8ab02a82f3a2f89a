import { env } from "@/lib/env";

/** Why the agentcore host cannot take deployments here (the operator's bucket and role are unset), or null. */
export function agentCoreUnavailable(): string | null {
  const e = env();
  if (!e.AGENT_ARTIFACTS_BUCKET) return "AGENT_ARTIFACTS_BUCKET is not set";
  if (!e.AGENTCORE_EXECUTION_ROLE_ARN) return "AGENTCORE_EXECUTION_ROLE_ARN is not set";
  return null;
}
