import { z } from "zod";
import { bundleBodyLimit } from "@/lib/deploy/limits";
import { DEFAULT_CODE_CONFIGURATION, DEFAULT_DEPLOYMENT_CONFIG } from "@/lib/deploy/types";
import { ARTIFACT_NAME_RE } from "@/lib/runtime/artifacts-name";
import { userEnvSchema } from "@/lib/runtime/env-policy";
import { defineRoute, uuidParam } from "../contract";
import { pageQuery, pageSchema } from "../pagination";

/*
 * Deployments (seed 003, sections 1.1-1.3; paths without /v1). An agent publishes immutable versions of its code and
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

const environmentSchema = z.enum(["dev", "staging", "prod"]);
const hostSchema = z.enum(["local", "fargate", "agentcore"]);
const strategySchema = z.enum(["initial", "blue_green", "rolling", "canary"]);
export const deploymentStatusSchema = z.enum([
  "deploying",
  "deployed",
  "failed",
  "rolled_back",
  "aborted",
  "superseded",
]);

const MAX_VERSION_CHARS = 128;
export const versionStringSchema = z.string().min(1).max(MAX_VERSION_CHARS);

/** A relative path inside the bundle: no leading `/`, no `..`, no backslash. */
const entrypointSchema = z
  .string()
  .min(1)
  .max(1024)
  .refine(
    (p) => !p.startsWith("/") && !p.includes("\\") && !p.includes("\0") && !p.split("/").includes(".."),
    "must be a relative path inside the bundle",
  )
  .describe("Relative path of the program inside the bundle: .js, .mjs or .cjs runs on node, .py on python3");

const packageSchema = z.string().min(1).max(200);
const packagesSchema = z.array(packageSchema).max(200).default([]);

const C = DEFAULT_CODE_CONFIGURATION;
const D = DEFAULT_DEPLOYMENT_CONFIG;

const IMAGE_RE =
  /^[a-z0-9]+(?:[._-][a-z0-9]+)*(?::[0-9]+)?(?:\/[a-z0-9]+(?:[._-][a-z0-9]+)*)*(?::[\w][\w.-]{0,127})?(?:@sha256:[0-9a-f]{64})?$/;

export const agentCodeSchema = z
  .strictObject({
    source_code: z
      .string()
      .min(1)
      .optional()
      .describe("Base64 of a .zip or .tar.gz bundle, or of a single file (named by `entrypoint`)"),
    artifact: z
      .string()
      .regex(ARTIFACT_NAME_RE)
      .optional()
      .describe("Ours: an artifact the operator installed (the demo agents) instead of uploaded code"),
    container_image: z
      .string()
      .max(512)
      .regex(IMAGE_RE, "must be an image reference (registry/repository:tag or @sha256:...)")
      .optional()
      .describe("Ours: a container image, for the AWS hosts"),
    dependencies: z
      .strictObject({ python: packagesSchema, system: packagesSchema, node: packagesSchema })
      .prefault({})
      .describe("Packages the code needs; the local host runs bundles as uploaded, so there they must be vendored"),
    entrypoint: entrypointSchema.optional(),
    configuration: z
      .strictObject({
        memory_limit: z.number().int().min(32).max(8192).default(C.memory_limit).describe("MB"),
        timeout: z.number().int().min(1).max(900).default(C.timeout).describe("Seconds per call"),
        concurrent_executions: z.number().int().min(1).max(1000).default(C.concurrent_executions),
      })
      .prefault({}),
  })
  .superRefine((code, ctx) => {
    const given = (["source_code", "artifact", "container_image"] as const).filter((k) => code[k] !== undefined);
    if (given.length !== 1) {
      ctx.addIssue({ code: "custom", message: "give exactly one of source_code, artifact, container_image" });
    }
    if (code.source_code !== undefined && code.entrypoint === undefined) {
      ctx.addIssue({ code: "custom", path: ["entrypoint"], message: "required with source_code" });
    }
  });

const autoScalingSchema = z
  .strictObject({
    enabled: z.boolean().default(D.auto_scaling.enabled),
    min_instances: z.number().int().min(1).max(100).default(D.auto_scaling.min_instances),
    max_instances: z.number().int().min(1).max(100).default(D.auto_scaling.max_instances),
    target_utilization: z.number().gt(0).max(1).default(D.auto_scaling.target_utilization),
  })
  .refine((a) => a.min_instances <= a.max_instances, {
    message: "min_instances must not exceed max_instances",
    path: ["min_instances"],
  });

const securitySchema = z.strictObject({
  vpc_config: z
    .strictObject({
      subnet_ids: z.array(z.string().min(1).max(100)).max(16).default([]),
      security_group_ids: z.array(z.string().min(1).max(100)).max(16).default([]),
    })
    .optional()
    .describe("Only the operator's networks (ECS_SUBNETS, ECS_SECURITY_GROUPS); refused on the local host"),
  iam_role_arn: z
    .string()
    .max(2048)
    .optional()
    .describe("Only the operator's task role (ECS_TASK_ROLE_ARN); refused on the local host"),
  environment_variables: userEnvSchema
    .optional()
    .describe("Become the agent's secrets (encrypted at rest, never shown again); names as for /secrets"),
});

const deploymentConfigFields = {
  environment: environmentSchema,
  host: hostSchema.optional().describe("Ours: where the version runs; default DEPLOY_DEFAULT_HOST"),
  auto_scaling: autoScalingSchema.optional(),
  security: securitySchema.optional(),
};

const healthPathSchema = z
  .string()
  .max(200)
  .regex(/^\/[A-Za-z0-9._~\-/]*$/, "must be a path starting with /")
  .refine((p) => !p.split("/").includes(".."), "must not contain ..");

const monitoringSchema = z.strictObject({
  health_check: z
    .strictObject({
      enabled: z.boolean().default(D.health_check.enabled),
      path: healthPathSchema.default(D.health_check.path),
      interval: z.number().int().min(5).max(3600).default(D.health_check.interval).describe("Seconds"),
    })
    .optional(),
  metrics: z
    .strictObject({
      custom_metrics: z.array(z.string().min(1).max(100)).max(50).default([]),
      log_level: z.enum(["DEBUG", "INFO", "WARN", "ERROR"]).default(D.log_level),
    })
    .optional(),
});

export const deployBody = z.strictObject({
  agent_metadata: z.strictObject({
    agent_id: uuidParam.describe("An agent the caller is or owns"),
    name: z.string().trim().min(1).max(100).describe("Must be the agent's name"),
    version: versionStringSchema.describe("Semver, e.g. 1.2.0"),
    description: z.string().max(5000).default(""),
    tags: z.array(z.string().trim().min(1).max(50)).max(50).default([]),
  }),
  agent_code: agentCodeSchema,
  deployment_config: z.strictObject(deploymentConfigFields),
  monitoring: monitoringSchema.optional(),
});

const canaryConfigSchema = z.strictObject({
  traffic_percentage: z.number().gt(0).max(100).default(D.canary.traffic_percentage),
  duration: z.number().int().min(1).max(10_080).default(D.canary.duration).describe("Minutes"),
  success_criteria: z
    .strictObject({
      error_rate_threshold: z.number().min(0).max(1).default(D.canary.success_criteria.error_rate_threshold),
      latency_threshold: z
        .number()
        .int()
        .min(1)
        .max(600_000)
        .default(D.canary.success_criteria.latency_threshold)
        .describe("ms (p95)"),
    })
    .prefault({}),
});

const rollbackConfigSchema = z.strictObject({
  auto_rollback: z.boolean().default(D.rollback.auto_rollback),
  rollback_triggers: z
    .strictObject({
      error_rate: z.number().min(0).max(1).default(D.rollback.rollback_triggers.error_rate),
      timeout_rate: z.number().min(0).max(1).default(D.rollback.rollback_triggers.timeout_rate),
      health_check_failures: z
        .number()
        .int()
        .min(1)
        .max(100)
        .default(D.rollback.rollback_triggers.health_check_failures),
    })
    .prefault({}),
});

export const updateVersionBody = z.strictObject({
  deployment_strategy: z.enum(["blue_green", "rolling", "canary"]).default("rolling"),
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
  status: z.enum(["deploying", "deployed", "failed"]),
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
  status: z.enum(["pending", "running", "completed", "failed"]),
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

export const versionSchema = z.object({
  version_id: z.string().uuid(),
  agent_id: z.string().uuid(),
  version: z.string(),
  description: z.string(),
  tags: z.array(z.string()),
  source: z.enum(["bundle", "artifact", "image"]),
  bundle: z.object({ format: z.enum(["zip", "tar.gz", "file"]), size_bytes: z.number().int() }).nullable(),
  artifact: z.string().nullable(),
  container_image: z.string().nullable(),
  entrypoint: z.string(),
  runtime: z.enum(["node", "python"]),
  dependencies: z.object({ python: z.array(z.string()), system: z.array(z.string()), node: z.array(z.string()) }),
  configuration: z.object({
    memory_limit: z.number().int(),
    timeout: z.number().int(),
    concurrent_executions: z.number().int(),
  }),
  code_digest: z.string().describe("sha256 of everything that makes the code"),
  created_at: z.string(),
});

export const listDeploymentsQuery = z.strictObject({
  environment: environmentSchema.optional(),
  status: deploymentStatusSchema.optional(),
  ...pageQuery,
});

export const listVersionsQuery = z.strictObject({ ...pageQuery });

// POST /api/agents/deploy - deploy a version of an agent to an environment
export const deployRoute = defineRoute({
  method: "POST",
  path: "/api/agents/deploy",
  summary:
    "Deploy a version of an agent the caller is or owns (seed 003 1.1); the rollout runs on (GET the deployment)",
  tags: ["deployments"],
  auth: "required",
  scopes: ["agent:deploy"],
  body: deployBody,
  response: deployResponseSchema,
  status: 202,
  errors: [409, 413, 422],
  maxBodyBytes: bundleBodyLimit,
});

// PUT /api/agents/{id}/versions/{version} - roll a new version out with a strategy
export const updateVersionRoute = defineRoute({
  method: "PUT",
  path: "/api/agents/{id}/versions/{version}",
  summary: "Roll a version out to a deployed environment with blue_green, rolling or canary (seed 003 1.2)",
  tags: ["deployments"],
  auth: "required",
  scopes: ["agent:update"],
  params: versionParams,
  body: updateVersionBody,
  response: deploymentSchema,
  status: 202,
  errors: [409, 413, 422],
  maxBodyBytes: bundleBodyLimit,
});

// GET /api/agents/{id}/versions/{version} - one version
export const getVersionRoute = defineRoute({
  method: "GET",
  path: "/api/agents/{id}/versions/{version}",
  summary: "One version of the agent",
  tags: ["deployments"],
  auth: "required",
  scopes: ["agent:monitor"],
  params: versionParams,
  response: versionSchema,
});

// GET /api/agents/{id}/versions - the agent's versions, newest first
export const listVersionsRoute = defineRoute({
  method: "GET",
  path: "/api/agents/{id}/versions",
  summary: "The agent's versions, newest first",
  tags: ["deployments"],
  auth: "required",
  scopes: ["agent:monitor"],
  params: agentParams,
  query: listVersionsQuery,
  response: pageSchema(versionSchema),
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
  summary: "A deployment: status, progress, phases with logs, health checks, performance (seed 003 1.3)",
  tags: ["deployments"],
  auth: "required",
  scopes: ["agent:monitor"],
  params: deploymentParams,
  response: deploymentSchema,
});
