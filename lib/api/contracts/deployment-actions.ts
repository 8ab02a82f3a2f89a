import { z } from "zod";
import { defineRoute, uuidParam } from "../contract";
import { deploymentStatusSchema, environmentSchema } from "./deploy-settings";

// The owner's actions on a deployment (README.md, Deployments): roll back, promote a canary early, abort.

export const deploymentActionParams = z.object({ id: uuidParam, deploymentId: uuidParam });

export const deploymentActionBody = z.strictObject({
  reason: z.string().trim().min(1).max(500).optional().describe("Why, for the deployment's log and the inbox"),
});

export const deploymentActionResponse = z.object({
  deployment_id: z.string().uuid(),
  agent_id: z.string().uuid(),
  environment: environmentSchema,
  status: deploymentStatusSchema,
  current_phase: z.string(),
  progress: z.number().int().min(0).max(100),
  reason: z.string().nullable(),
  traffic: z
    .array(z.object({ version_id: z.string().uuid(), weight: z.number() }))
    .describe("The environment's traffic split after the action"),
});

const action = (path: string, summary: string) =>
  defineRoute({
    method: "POST",
    path: `/api/agents/{id}/deployments/{deploymentId}/${path}`,
    summary,
    tags: ["deployments"],
    auth: "required",
    scopes: ["agent:update"],
    params: deploymentActionParams,
    body: deploymentActionBody,
    response: deploymentActionResponse,
    errors: [403, 404, 409],
  });

// POST /api/agents/{id}/deployments/{deploymentId}/rollback - all traffic back to the last good version
export const rollbackDeploymentRoute = action(
  "rollback",
  "Roll back: a deployment in progress, or the live one, returns all traffic to the version before it at once " +
    "(409 when the deployment is neither)",
);

// POST /api/agents/{id}/deployments/{deploymentId}/promote - end a canary early and send it all traffic
export const promoteDeploymentRoute = action(
  "promote",
  "Promote a canary in progress now, without waiting for its duration (409 for anything but a canary in progress)",
);

// POST /api/agents/{id}/deployments/{deploymentId}/abort - stop a deployment in progress
export const abortDeploymentRoute = action(
  "abort",
  "Abort a deployment in progress: traffic returns to the version before it (409 once it has ended)",
);
