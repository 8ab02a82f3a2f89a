import "server-only";
import { badRequest, forbidden, unprocessable } from "@/lib/api/errors";
import { listArtifacts } from "./artifacts";
import type { RuntimeConfig } from "./config";
import { ecsOperatorConfig, familyAllowed, runtimeArnAllowed } from "./operator";

/**
 * Checks a runtime an agent is given against what the operator allows, at registration and update time;
 * the hosts and the invocation path check again when they use it, since the operator's configuration may change.
 * - local: the artifact must be installed (400 naming the installed ones);
 * - fargate: ECS must be configured (422) and the family must be under the operator's prefix (403);
 * - agentcore: the runtime ARN must be allowed by AGENTCORE_ALLOWED_RUNTIME_ARNS or be a configured agent (403).
 */
export function assertRuntimeAllowed(runtime: RuntimeConfig): void {
  if (runtime.kind === "local") {
    const known = [...listArtifacts().keys()];
    if (!known.includes(runtime.artifact)) {
      throw badRequest(
        `runtime.artifact: unknown artifact ${runtime.artifact}; installed: ${known.join(", ") || "none"}`,
        {
          fields: { "runtime.artifact": `unknown artifact; installed: ${known.join(", ") || "none"}` },
          artifacts: known,
        },
      );
    }
    return;
  }
  if (runtime.kind === "fargate") {
    const cfg = ecsOperatorConfig();
    if (!cfg) {
      throw unprocessable(
        "This marketplace does not run agents on ECS Fargate (the operator has not configured ECS_CLUSTER, ECS_SUBNETS and ECS_TASK_DEFINITION_PREFIX)",
      );
    }
    if (!familyAllowed(cfg, runtime.task_definition)) {
      throw forbidden(`runtime.task_definition: only task-definition families starting with ${cfg.prefix} may be run`, {
        fields: { "runtime.task_definition": `must start with ${cfg.prefix}` },
      });
    }
    return;
  }
  if (!runtimeArnAllowed(runtime.runtime_arn)) {
    throw forbidden(
      "runtime.runtime_arn: this AgentCore runtime is not one the operator allows (AGENTCORE_ALLOWED_RUNTIME_ARNS)",
      { fields: { "runtime.runtime_arn": "not an allowed runtime ARN" } },
    );
  }
}
