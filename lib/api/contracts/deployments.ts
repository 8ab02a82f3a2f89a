import { z } from "zod";
import { PHASE_STATUSES } from "@/db/schema/deployments";
import { bundleBodyLimit } from "@/lib/deploy/limits";
import { defineRoute, uuidParam } from "../contract";
import { pageQuery, pageSchema } from "../pagination";
import { inputSchemaSchema } from "./input-schema";
import {
  agentCodeSchema,
  canaryConfigSchema,
  deploymentConfigFields,
  deploymentStatusSchema,
  environmentSchema,
  hostSchema,
  monitoringSchema,
  rollbackConfigSchema,
  strategySchema,
  versionStringSchema,
} from "./deploy-settings";

/*
 * Deployments (README.md, Deployments; paths without /v1). An agent publishes immutable versions of its code and
 * a deployment rolls one out to an environment (dev, staging, prod) on a host (local: the OS sandbox; fargate and
 * agentcore: the operator's AWS). Field names, enums and defaults are the seed's; fields marked "ours" are not in it.
 *
 * - Only the agent itself (its key) or its owner; scopes agent:deploy (deploy), agent:update (new version of a
 *   deployed agent), agent:monitor (reads).
 * - A version is immutable: the same version with the same code (bytes, entrypoint, runtime, dependencies,
 *   configuration) is reused, with other code it is a 409.
 * - One rollout at a time per agent and environment: a second is a 409 until the first ends.
 * - `api_key` and `webhook_secret` are shown once; `environment_variables` become the agent's secrets and are never
 *   shown again.
 */

export const deployBody = z.strictObject({
  agent_metadata: z.strictObject({
    agent_id: uuidParam.describe("An agent the caller is or owns"),
    name: z.string().trim().min(1).max(100).describe("Must be the agent's name"),
    version: versionStringSchema.describe("Semver, e.g. 1.2.0"),
    description: z.string().max(5000).default(""),
    tags: z.array(z.string().trim().min(1).max(50)).max(50).default([]),
    input_schema: inputSchemaSchema.optional().describe("Ours: " + (inputSchemaSchema.description ?? "")),
  }),
  agent_code: agentCodeSchema,
  deployment_config: z.strictObject(deploymentConfigFields),
  monitoring: monitoringSchema.optional(),
});

export const updateVersionBody = z.strictObject({
  deployment_strategy: strategySchema.exclude(["initial"]).default("rolling"),
  canary_config: canaryConfigSchema.optional(),
  rollback_config: rollbackConfigSchema.optional(),
  agent_code: agentCodeSchema
    .optional()
    .describe("The version's code; may be left out when the version exists already (e.g. to roll it out again)"),
  deployment_config: z
    .strictObject({ ...deploymentConfigFields, environment: environmentSchema.optional() })
    .optional()
    .describe("Ours: which environment (default prod, else the agent's only one) and settings to change"),
  monitoring: monitoringSchema.optional(),
});

export const agentParams = z.object({ id: uuidParam });
export const versionParams = z.object({ id: uuidParam, version: versionStringSchema });
export const deploymentParams = z.object({ id: uuidParam, deploymentId: uuidParam });

export const deployResponseSchema = z.object({
  deployment_id: z.string().uuid(),
  agent_id: z.string().uuid(),
  status: deploymentStatusSchema.extract(["deploying", "deployed", "failed"]),
  api_endpoint: z.string().url().describe("POST the agent contract's body here with your credentials"),
  deployment_info: z.object({
    region: z.string().describe("`local` on the local host, else the AWS region"),
    runtime_environment: z.string().describe("e.g. sandbox/node20"),
    created_at: z.string(),
    estimated_completion: z.string(),
  }),
  monitoring: z.object({
    cloudwatch_log_group: z.string(),
    metrics_namespace: z.string(),
    dashboard_url: z.string().url(),
  }),
  security: z.object({
    api_key: z.string().describe("A new key of the agent (scopes agent:execute, invoke); shown once"),
    webhook_secret: z
      .string()
      .nullable()
      .describe("whsec_... (Standard Webhooks); shown once, on the environment's first deployment, else null"),
  }),
  environment: environmentSchema.describe("Ours"),
  host: hostSchema.describe("Ours"),
  strategy: strategySchema.describe("Ours: initial for the environment's first version, else blue_green"),
  version: z.string().describe("Ours"),
  version_id: z.string().uuid().describe("Ours"),
});

const phaseSchema = z.object({
  name: z.string(),
  status: z.enum(PHASE_STATUSES),
  started_at: z.string().nullable(),
  completed_at: z.string().nullable(),
  logs: z.array(z.string()),
});

export const deploymentSummarySchema = z.object({
  deployment_id: z.string().uuid(),
  agent_id: z.string().uuid(),
  status: deploymentStatusSchema,
  progress: z.number().int().min(0).max(100),
  current_phase: z.string(),
  environment: environmentSchema,
  host: hostSchema,
  strategy: strategySchema,
  version: z.string(),
  previous_version: z.string().nullable(),
  reason: z.string().nullable().describe("Why it failed, rolled back or was aborted"),
  created_at: z.string(),
  updated_at: z.string(),
  completed_at: z.string().nullable(),
});

export const deploymentSchema = deploymentSummarySchema.extend({
  phases: z.array(phaseSchema),
  health: z.object({
    overall_status: z.enum(["healthy", "degraded", "unhealthy"]),
    checks: z.array(
      z.object({
        name: z.string(),
        status: z.string().describe("The instance's: starting, healthy, unhealthy, draining"),
        last_check: z.string(),
        message: z.string(),
      }),
    ),
  }),
  performance: z
    .object({
      response_time_p95: z.number().describe("ms"),
      error_rate: z.number().min(0).max(1),
      throughput: z.number().describe("requests/s"),
      cpu_utilization: z.number().min(0).max(1),
      memory_utilization: z.number().min(0).max(1),
    })
    .describe("The deployment's version over the last 5 minutes"),
  traffic: z
    .array(z.object({ version: z.string(), weight: z.number() }))
    .describe("Ours: the environment's current split"),
});

export const listDeploymentsQuery = z.strictObject({
  environment: environmentSchema.optional(),
  status: deploymentStatusSchema.optional(),
  ...pageQuery,
});

/**
 * What the two writes that ship code share (a deploy, a version's update): the bundle may be large (413 past
 * DEPLOY_MAX_BUNDLE_BYTES), and the answer is 202 while the rollout runs on; 409 for a rollout already running,
 * 422 for a host or settings this platform refuses.
 */
const rolloutUpload = { status: 202, errors: [409, 413, 422], maxBodyBytes: bundleBodyLimit };

// POST /api/agents/deploy - deploy a version of an agent to an environment
export const deployRoute = defineRoute({
  method: "POST",
  path: "/api/agents/deploy",
  summary: "Deploy a version of an agent the caller is or owns; the rollout runs on (GET the deployment)",
  tags: ["deployments"],
  auth: "required",
  scopes: ["agent:deploy"],
  body: deployBody,
  response: deployResponseSchema,
  ...rolloutUpload,
});

// PUT /api/agents/{id}/versions/{version} - roll a new version out with a strategy
export const updateVersionRoute = defineRoute({
  method: "PUT",
  path: "/api/agents/{id}/versions/{version}",
  summary: "Roll a version out to a deployed environment with blue_green, rolling or canary",
  tags: ["deployments"],
  auth: "required",
  scopes: ["agent:update"],
  params: versionParams,
  body: updateVersionBody,
  response: deploymentSchema,
  ...rolloutUpload,
});

// GET /api/agents/{id}/deployments - the agent's deployments, newest first
export const listDeploymentsRoute = defineRoute({
  method: "GET",
  path: "/api/agents/{id}/deployments",
  summary: "The agent's deployments, newest first; filter by environment and status",
  tags: ["deployments"],
  auth: "required",
  scopes: ["agent:monitor"],
  params: agentParams,
  query: listDeploymentsQuery,
  response: pageSchema(deploymentSummarySchema),
});

// GET /api/agents/{id}/deployments/{deploymentId} - a deployment's phases, health and performance
export const getDeploymentRoute = defineRoute({
  method: "GET",
  path: "/api/agents/{id}/deployments/{deploymentId}",
  summary: "A deployment: status, progress, phases with logs, health checks, performance",
  tags: ["deployments"],
  auth: "required",
  scopes: ["agent:monitor"],
  params: deploymentParams,
  response: deploymentSchema,
});
