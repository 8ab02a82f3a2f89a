import { z } from "zod";
import { deployEnvironment, deployHost, deploymentStatus, deploymentStrategy } from "@/db/schema/deployments";
import { DEFAULT_CODE_CONFIGURATION, DEFAULT_DEPLOYMENT_CONFIG } from "@/lib/deploy/types";
import { ARTIFACT_NAME_RE } from "@/lib/runtime/artifacts-name";
import { userEnvSchema } from "@/lib/runtime/env-policy";

/*
 * The settings a deploy (POST /api/agents/deploy) and an update (PUT /api/agents/{id}/versions/{version}) take, with
 * the deploy defaults (DEFAULT_DEPLOYMENT_CONFIG in lib/deploy/types.ts), and the deployment enumerations every contract shares; the values of
 * those are the database's (db/schema/deployments.ts). The bodies themselves are in ./deployments.ts.
 */

export const environmentSchema = z.enum(deployEnvironment.enumValues);
export const hostSchema = z.enum(deployHost.enumValues);
export const strategySchema = z.enum(deploymentStrategy.enumValues);
export const deploymentStatusSchema = z.enum(deploymentStatus.enumValues);

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

export const deploymentConfigFields = {
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

export const monitoringSchema = z.strictObject({
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

export const canaryConfigSchema = z.strictObject({
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

export const rollbackConfigSchema = z.strictObject({
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
