import "server-only";
import type { TrafficWeight } from "@/db/schema/deployments";
import { healthSettings } from "../instances/manager";
import type { Strategy } from "../types";
import type { StepContext, StepResult, StepTable } from "./context";
import { canaryVerdict, evaluate } from "./evaluate";

/**
 * What each phase does, per strategy: the controller (runner.ts) calls the step of the deployment's current phase
 * and acts on its result. Steps keep their progress in `ctx.state` and never wait inside: a phase that has to
 * wait (health, grace period, canary duration, rolling steps) asks to be run again later.
 */

const seconds = (from: string | undefined, now: Date) => (from ? (now.getTime() - Date.parse(from)) / 1000 : 0);

function split(entries: [string | undefined | null, number][]): TrafficWeight[] {
  return entries
    .filter((e): e is [string, number] => !!e[0] && e[1] > 0)
    .map(([version_id, weight]) => ({ version_id, weight }));
}

/** How many instances the new version ends up with: as many as the old one runs, within min and max. */
async function targetCount(ctx: StepContext): Promise<number> {
  const a = ctx.config.auto_scaling;
  const old = ctx.previous ? (await ctx.instances.activeInstances(ctx.route, ctx.previous.id)).length : 0;
  return Math.max(1, Math.min(Math.max(a.min_instances, old), Math.max(1, a.max_instances)));
}

/** Starts what `state.instances` asks for (again after a restart: another controller's sandboxes are gone). */
async function ensureAll(ctx: StepContext): Promise<string[]> {
  const health = healthSettings(ctx.config);
  const errors: string[] = [];
  for (const [versionId, count] of Object.entries(ctx.state.instances ?? {})) {
    const version = versionId === ctx.version.id ? ctx.version : versionId === ctx.previous?.id ? ctx.previous : null;
    if (!version) continue;
    const r = await ctx.instances.ensure(ctx.route, version, count, health);
    if (r.started) ctx.log(`started ${r.started} instance(s) of ${version.version}`);
    if (r.stopped) ctx.log(`stopped ${r.stopped} instance(s) of ${version.version}`);
    if (version === ctx.version) errors.push(...r.errors);
  }
  return errors;
}

/** Observation goes on: a new evaluation window starts now, the next step at the next evaluation or at `total`. */
function observeOn(ctx: StepContext, elapsed: number, total: number): StepResult {
  ctx.state.window_started_at = ctx.now.toISOString();
  return {
    kind: "wait",
    seconds: Math.min(ctx.config.evaluation_interval, total - elapsed),
    fraction: elapsed / total,
  };
}

/**
 * Evaluates the window that began at `state.window_started_at`: a breach rolls back. Starts what is missing first
 * (after a controller restart the instances of the one before are gone).
 */
async function judge(ctx: StepContext): Promise<StepResult | null> {
  const errors = await ensureAll(ctx);
  if (errors.length && ctx.config.rollback.auto_rollback) {
    return { kind: "rollback", reason: `Rolled back automatically: new instances failed to start (${errors[0]})` };
  }
  const since = new Date(ctx.state.window_started_at ?? ctx.deployment.createdAt.toISOString());
  const { evaluation, breach } = await evaluate(ctx, since);
  ctx.state.last_evaluation = evaluation;
  if (breach) return { kind: "rollback", reason: `Rolled back automatically: ${breach}` };
  return null;
}

interface StrategySteps {
  provisionCount(ctx: StepContext, target: number): number;
  shift(ctx: StepContext): Promise<StepResult>;
  observe(ctx: StepContext): Promise<StepResult>;
}

const all = (ctx: StepContext): TrafficWeight[] => split([[ctx.version.id, 100]]);

const initial: StrategySteps = {
  provisionCount: (_ctx, target) => target,
  async shift(ctx) {
    ctx.log(`all traffic to ${ctx.version.version}`);
    return { kind: "advance", weights: all(ctx) };
  },
  async observe(ctx) {
    ctx.log("first deployment in this environment: nothing to compare with");
    return { kind: "advance" };
  },
};

const blueGreen: StrategySteps = {
  provisionCount: (_ctx, target) => target,
  async shift(ctx) {
    ctx.state.window_started_at = ctx.now.toISOString();
    ctx.state.phase_started_at = ctx.now.toISOString();
    ctx.log(
      `switched all traffic to ${ctx.version.version}; ${ctx.previous?.version ?? "the old version"} stays warm for ${ctx.config.grace_period} s`,
    );
    return { kind: "advance", weights: all(ctx) };
  },
  async observe(ctx) {
    ctx.state.phase_started_at ??= ctx.now.toISOString();
    const breach = await judge(ctx);
    if (breach) return breach;
    const elapsed = seconds(ctx.state.phase_started_at, ctx.now);
    const grace = ctx.config.grace_period;
    if (elapsed >= grace) {
      ctx.log(`grace period over: stopping ${ctx.previous?.version ?? "the old version"}`);
      return { kind: "advance" };
    }
    return observeOn(ctx, elapsed, grace);
  },
};

const canary: StrategySteps = {
  provisionCount: (ctx, target) => Math.max(1, Math.ceil((target * ctx.config.canary.traffic_percentage) / 100)),
  async shift(ctx) {
    const p = Math.min(100, Math.max(0, ctx.config.canary.traffic_percentage));
    ctx.state.window_started_at = ctx.now.toISOString();
    ctx.state.phase_started_at = ctx.now.toISOString();
    ctx.log(`canary: ${p}% of traffic to ${ctx.version.version} for ${ctx.config.canary.duration} min`);
    return {
      kind: "advance",
      weights: split([
        [ctx.version.id, p],
        [ctx.previous?.id, 100 - p],
      ]),
    };
  },
  async observe(ctx) {
    ctx.state.phase_started_at ??= ctx.now.toISOString();
    const breach = await judge(ctx);
    if (breach) return breach;
    const duration = ctx.config.canary.duration * 60;
    const elapsed = seconds(ctx.state.phase_started_at, ctx.now);
    if (ctx.state.promote_requested || elapsed >= duration) {
      // The criteria are judged over the whole canary, not only the last window.
      const whole = await evaluate(ctx, new Date(ctx.state.phase_started_at));
      const verdict = canaryVerdict(ctx, whole.evaluation);
      if (verdict && !ctx.state.promote_requested) {
        return { kind: "rollback", reason: `Rolled back: the canary did not meet its success criteria (${verdict})` };
      }
      ctx.log(
        ctx.state.promote_requested
          ? "promoted early by the owner"
          : `canary held its success criteria for ${ctx.config.canary.duration} min: promoting`,
      );
      return { kind: "advance", weights: all(ctx) };
    }
    return observeOn(ctx, elapsed, duration);
  },
};

const rolling: StrategySteps = {
  provisionCount: (ctx, target) => Math.max(1, Math.ceil(target / Math.max(1, ctx.config.rolling_steps))),
  async shift(ctx) {
    const steps = Math.max(1, ctx.config.rolling_steps);
    const done = ctx.state.rolling_step ?? 0;
    if (done > 0) {
      const breach = await judge(ctx);
      if (breach) return breach;
    }
    if (done >= steps) return { kind: "advance" };
    const k = done + 1;
    const target = (ctx.state.rolling_target ??= await targetCount(ctx));
    const fresh = Math.max(1, Math.ceil((target * k) / steps));
    // The old version keeps the instances of the step before until traffic has left them (a step's weights apply
    // after this returns): stopping them first would leave calls routed to it with nowhere to go. observe drains it.
    const old = ctx.previous ? Math.ceil((target * (steps - k + 1)) / steps) : 0;
    ctx.state.instances = { [ctx.version.id]: fresh, ...(ctx.previous ? { [ctx.previous.id]: old } : {}) };
    const errors = await ensureAll(ctx);
    if (errors.length) return { kind: "rollback", reason: `Rolled back: new instances failed to start (${errors[0]})` };
    const weight = Math.round((100 * k) / steps);
    ctx.state.rolling_step = k;
    ctx.state.window_started_at = ctx.now.toISOString();
    ctx.log(`step ${k}/${steps}: ${weight}% of traffic and ${fresh} instance(s) on ${ctx.version.version}`);
    return {
      kind: "wait",
      seconds: ctx.config.evaluation_interval,
      fraction: k / steps,
      weights: split([
        [ctx.version.id, weight],
        [ctx.previous?.id, 100 - weight],
      ]),
    };
  },
  async observe(ctx) {
    ctx.state.phase_started_at ??= ctx.now.toISOString();
    if (seconds(ctx.state.phase_started_at, ctx.now) < ctx.config.evaluation_interval) {
      ctx.state.window_started_at = ctx.now.toISOString();
      return { kind: "wait", seconds: ctx.config.evaluation_interval };
    }
    const breach = await judge(ctx);
    if (breach) return breach;
    // All traffic is on the new version now: the old one's last instances can go.
    if (ctx.previous) {
      ctx.state.instances = { ...ctx.state.instances, [ctx.previous.id]: 0 };
      await ensureAll(ctx);
    }
    return { kind: "advance" };
  },
};

const STRATEGIES: Record<Strategy, StrategySteps> = {
  initial,
  blue_green: blueGreen,
  canary,
  rolling,
};

export interface StepOptions {
  /** Why this host cannot run deployments, or null (the sandbox, probed once). */
  unavailable(): string | null;
}

export function stepTable(opts: StepOptions): StepTable {
  return {
    async validate(ctx) {
      const why = ctx.instances.unavailable(ctx.deployment.host, opts.unavailable);
      if (why) {
        const what =
          ctx.deployment.host === "local"
            ? "Uploaded code cannot run on this host"
            : `The ${ctx.deployment.host} host is not available to this controller`;
        return { kind: "fail", reason: `${what}: ${why}` };
      }
      const c = ctx.version.configuration;
      ctx.log(
        `version ${ctx.version.version} (${ctx.version.source}), ${ctx.config.strategy} rollout; ${c.memory_limit} MB, ${c.timeout} s timeout, ${c.concurrent_executions} concurrent calls per instance`,
      );
      return { kind: "advance" };
    },
    async package(ctx) {
      try {
        ctx.log(await ctx.instances.prepare(ctx.version, ctx.route));
        return { kind: "advance" };
      } catch (err) {
        return { kind: "fail", reason: `The version's files could not be prepared: ${(err as Error).message}` };
      }
    },
    async provision(ctx) {
      const target = await targetCount(ctx);
      const count = STRATEGIES[ctx.config.strategy].provisionCount(ctx, target);
      const old = ctx.previous ? (await ctx.instances.activeInstances(ctx.route, ctx.previous.id)).length : 0;
      ctx.state.instances = { [ctx.version.id]: count, ...(ctx.previous ? { [ctx.previous.id]: old } : {}) };
      const errors = await ensureAll(ctx);
      if (errors.length) return { kind: "fail", reason: `Instances of the new version failed to start: ${errors[0]}` };
      return { kind: "advance" };
    },
    async health_check(ctx) {
      const errors = await ensureAll(ctx);
      if (errors.length) return { kind: "fail", reason: `Instances of the new version failed to start: ${errors[0]}` };
      const health = healthSettings(ctx.config);
      const rows = (await ctx.instances.check(ctx.route, health)).filter((r) => r.versionId === ctx.version.id);
      const failed = rows.find((r) => r.status === "failed");
      if (failed) return { kind: "fail", reason: `Health check failed: ${failed.lastCheckMessage ?? failed.reason}` };
      const healthy = rows.filter((r) => r.status === "healthy").length;
      const wanted = ctx.state.instances?.[ctx.version.id] ?? 1;
      if (healthy >= wanted) {
        ctx.log(`${healthy} instance(s) healthy on ${health.path}`);
        return { kind: "advance" };
      }
      ctx.log(`${healthy}/${wanted} instance(s) healthy; checking again`);
      return { kind: "wait", seconds: Math.min(ctx.config.health_check.interval, ctx.config.evaluation_interval) };
    },
    shift_traffic: (ctx) => STRATEGIES[ctx.config.strategy].shift(ctx),
    observe: (ctx) => STRATEGIES[ctx.config.strategy].observe(ctx),
    async complete(ctx) {
      ctx.state.instances = { [ctx.version.id]: ctx.state.instances?.[ctx.version.id] ?? 1 };
      ctx.log(`${ctx.version.version} is live`);
      return { kind: "advance", weights: all(ctx) };
    },
  };
}
