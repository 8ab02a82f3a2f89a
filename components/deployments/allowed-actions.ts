import type { Deployment, DeploymentAction } from "@/lib/client/types";

/** Which actions the API would accept now (it answers 409 otherwise). */
export function allowedActions(d: Deployment): Record<DeploymentAction, boolean> {
  const deploying = d.status === "deploying";
  const live = d.status === "deployed" && d.traffic.some((t) => t.version === d.version && t.weight > 0);
  return {
    promote: deploying && d.strategy === "canary",
    rollback: deploying || (live && d.previous_version !== null),
    abort: deploying,
  };
}
