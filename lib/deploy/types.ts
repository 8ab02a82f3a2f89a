import type { deployEnvironment, deployHost, deploymentStrategy } from "@/db/schema/deployments";

/**
 * The shapes the deploy modules share (README.md, Deployments). The API's request schemas
 * (lib/api/contracts/deployments.ts) normalize into these, with DEFAULT_DEPLOYMENT_CONFIG's defaults filled in; the controller,
 * router and hosts read only these. The enumerations are the database's (db/schema/deployments.ts), imported as
 * types only so that the browser can import this module.
 */

export type Environment = (typeof deployEnvironment.enumValues)[number];
export type DeployHostName = (typeof deployHost.enumValues)[number];
export type Strategy = (typeof deploymentStrategy.enumValues)[number];

/** The version's own resources: the deploy request's `agent_code.configuration`. */
export interface CodeConfiguration {
  /** MB, default 128 */
  memory_limit: number;
  /** seconds per call, default 30 */
  timeout: number;
  /** calls one instance serves at once, default 10 */
  concurrent_executions: number;
}

export interface AutoScaling {
  enabled: boolean;
  min_instances: number;
  max_instances: number;
  /** in-flight calls over concurrent_executions, 0-1, default 0.7 */
  target_utilization: number;
}

export interface HealthCheck {
  enabled: boolean;
  /** default /health (a version without it is checked on the contract's /ping) */
  path: string;
  /** seconds, default 30 */
  interval: number;
}

export interface CanaryConfig {
  /** 0-100 */
  traffic_percentage: number;
  /** minutes */
  duration: number;
  success_criteria: { error_rate_threshold: number; latency_threshold: number };
}

export interface RollbackConfig {
  auto_rollback: boolean;
  rollback_triggers: { error_rate: number; timeout_rate: number; health_check_failures: number };
}

export interface SecurityConfig {
  vpc_config: { subnet_ids: string[]; security_group_ids: string[] } | null;
  iam_role_arn: string | null;
}

/** Everything a deployment needs beyond the version, stored normalized in `deployments.config`. */
export interface DeploymentConfig {
  strategy: Strategy;
  canary: CanaryConfig;
  rollback: RollbackConfig;
  auto_scaling: AutoScaling;
  health_check: HealthCheck;
  security: SecurityConfig;
  log_level: "DEBUG" | "INFO" | "WARN" | "ERROR";
  custom_metrics: string[];
  /** Controller timing, seconds: how often a rollout is evaluated and how long blue/green keeps the old version warm. */
  evaluation_interval: number;
  grace_period: number;
  /** Rolling: how many traffic steps (e.g. 4 = 25% each). */
  rolling_steps: number;
}

/** The phases every deployment goes through, in order (a rollback ends at `rollback`). */
export const PHASES = [
  "validate",
  "package",
  "provision",
  "health_check",
  "shift_traffic",
  "observe",
  "complete",
] as const;
export type PhaseName = (typeof PHASES)[number] | "rollback";

export const DEFAULT_CODE_CONFIGURATION: CodeConfiguration = {
  memory_limit: 128,
  timeout: 30,
  concurrent_executions: 10,
};

export const DEFAULT_DEPLOYMENT_CONFIG: DeploymentConfig = {
  strategy: "initial",
  canary: {
    traffic_percentage: 10,
    duration: 10,
    success_criteria: { error_rate_threshold: 0.05, latency_threshold: 2_000 },
  },
  rollback: {
    auto_rollback: true,
    rollback_triggers: { error_rate: 0.1, timeout_rate: 0.1, health_check_failures: 3 },
  },
  auto_scaling: { enabled: true, min_instances: 1, max_instances: 100, target_utilization: 0.7 },
  health_check: { enabled: true, path: "/health", interval: 30 },
  security: { vpc_config: null, iam_role_arn: null },
  log_level: "INFO",
  custom_metrics: [],
  evaluation_interval: 10,
  grace_period: 60,
  rolling_steps: 4,
};
