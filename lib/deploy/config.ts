import type { z } from "zod";
import type { deployBody, updateVersionBody } from "@/lib/api/contracts/deployments";
import { env } from "@/lib/env";
import { DEFAULT_DEPLOYMENT_CONFIG, type DeploymentConfig, type Strategy } from "./types";

type DeployBody = z.output<typeof deployBody>;
type UpdateBody = z.output<typeof updateVersionBody>;

/** The request's settings over a base (DEFAULT_DEPLOYMENT_CONFIG for a first deployment, the environment's for an update). */
export interface ConfigInput {
  strategy: Strategy;
  auto_scaling?: DeployBody["deployment_config"]["auto_scaling"];
  monitoring?: DeployBody["monitoring"];
  canary?: UpdateBody["canary_config"];
  rollback?: UpdateBody["rollback_config"];
  security?: DeploymentConfig["security"];
}

/**
 * Normalizes a request into the stored DeploymentConfig. Controller timing comes from the operator's environment,
 * except the evaluation interval, which follows the health-check interval the owner chose.
 */
export function normalizeConfig(input: ConfigInput, base?: DeploymentConfig): DeploymentConfig {
  const b = base ?? DEFAULT_DEPLOYMENT_CONFIG;
  const health = input.monitoring?.health_check ?? b.health_check;
  const e = env();
  return {
    strategy: input.strategy,
    canary: input.canary ?? b.canary,
    rollback: input.rollback ?? b.rollback,
    auto_scaling: input.auto_scaling ?? b.auto_scaling,
    health_check: health,
    security: input.security ?? b.security,
    log_level: input.monitoring?.metrics?.log_level ?? b.log_level,
    custom_metrics: input.monitoring?.metrics?.custom_metrics ?? b.custom_metrics,
    evaluation_interval: health.interval,
    grace_period: e.DEPLOY_BLUE_GREEN_GRACE_S,
    rolling_steps: e.DEPLOY_ROLLING_STEPS,
  };
}

/** Roughly when a rollout of this config ends, for `deployment_info.estimated_completion`. */
export function estimatedCompletion(config: DeploymentConfig, from: Date): Date {
  const start = config.health_check.interval; // first health check
  const rest =
    config.strategy === "canary"
      ? config.canary.duration * 60
      : config.strategy === "blue_green"
        ? config.grace_period
        : config.strategy === "rolling"
          ? config.rolling_steps * config.evaluation_interval
          : 0;
  return new Date(from.getTime() + (start + rest) * 1000);
}
