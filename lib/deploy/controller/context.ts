import type { deployments } from "@/db/schema";
import type { TrafficWeight } from "@/db/schema/deployments";
import { DEFAULT_DEPLOYMENT_CONFIG, type DeploymentConfig, type PhaseName } from "../types";
import type { RouteKey, VersionRow } from "../instances/manager";
import type { HostRegistry } from "../hosts";

export type DeploymentRow = typeof deployments.$inferSelect;

/** The controller's own bookkeeping in deployments.state. */
export interface DeployState {
  /** Bumped whenever the next step is scheduled: a queued step whose tick is not the row's is stale. */
  tick?: number;
  /** How many instances each version needs while the rollout runs (the route check keeps the rest at zero). */
  instances?: Record<string, number>;
  /** Start of the current evaluation window: triggers count the new version's calls since then. */
  window_started_at?: string;
  /** Start of the phase that waits (observe: grace period, canary duration). */
  phase_started_at?: string;
  rolling_step?: number;
  /** Rolling: how many instances the new version has after the last step. */
  rolling_target?: number;
  promote_requested?: boolean;
  /** Steps that threw in a row (a transient fault is retried; a persistent one fails the deployment). */
  step_errors?: number;
  /** The last evaluation, for the deployment view. */
  last_evaluation?: Evaluation;
}

export interface Evaluation {
  at: string;
  calls: number;
  error_rate: number;
  timeout_rate: number;
  p95_ms: number | null;
  health_check_failures: number;
}

export interface StepContext {
  deployment: DeploymentRow;
  config: DeploymentConfig;
  version: VersionRow;
  previous: VersionRow | null;
  route: RouteKey;
  /** The route's weights as they are now. */
  weights: TrafficWeight[];
  state: DeployState;
  /** The route's host (local sandboxes, Fargate, AgentCore), through the registry. */
  instances: HostRegistry;
  now: Date;
  /** Lines for the current phase's log. */
  log(line: string): void;
}

export type StepResult =
  /** The phase is done: start the next one (in the same tick). `progress` overrides the phase's own. */
  | { kind: "advance"; weights?: TrafficWeight[] }
  /** Stay in this phase and run it again after `seconds`; `fraction` is how far it got (0-1). */
  | { kind: "wait"; seconds: number; fraction?: number; weights?: TrafficWeight[] }
  /** Before traffic moved: the deployment failed. */
  | { kind: "fail"; reason: string }
  /** Traffic goes back to the last good version at once. */
  | { kind: "rollback"; reason: string };

export type Step = (ctx: StepContext) => Promise<StepResult>;
export type StepTable = Record<Exclude<PhaseName, "rollback">, Step>;

/** A stored config (deployments.config, agent_routes.config) with the defaults under it, so older rows read whole. */
export function withDefaults(raw: Record<string, unknown>): DeploymentConfig {
  const c = raw as Partial<DeploymentConfig>;
  const base = DEFAULT_DEPLOYMENT_CONFIG;
  return {
    ...base,
    ...c,
    canary: {
      ...base.canary,
      ...c.canary,
      success_criteria: { ...base.canary.success_criteria, ...c.canary?.success_criteria },
    },
    rollback: {
      ...base.rollback,
      ...c.rollback,
      rollback_triggers: { ...base.rollback.rollback_triggers, ...c.rollback?.rollback_triggers },
    },
    auto_scaling: { ...base.auto_scaling, ...c.auto_scaling },
    health_check: { ...base.health_check, ...c.health_check },
    security: { ...base.security, ...c.security },
  };
}

export function configOf(d: DeploymentRow): DeploymentConfig {
  return { ...withDefaults(d.config), strategy: d.strategy };
}

export function tickOf(d: DeploymentRow): number {
  return Number((d.state as DeployState).tick ?? 0);
}
