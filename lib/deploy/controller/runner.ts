import "server-only";
import { and, eq, sql, type SQL } from "drizzle-orm";
import { getDb, type Tx } from "@/db/client";
import { agentVersions, deployments } from "@/db/schema";
import { inTransaction } from "@/lib/db";
import { log } from "@/lib/log";
import type { HostRegistry } from "../hosts";
import { loadRoute, setRouteWeights } from "../routes";
import type { PhaseName } from "../types";
import {
  configOf,
  tickOf,
  type DeploymentRow,
  type DeployState,
  type StepContext,
  type StepResult,
  type StepTable,
} from "./context";
import { endDeployment } from "./finish";
import { appendLogs, endPhase, nextPhase, progressOf, startPhase } from "./phases";

/**
 * One tick of one deployment: take the lease, run the current phase's step, write what it did, and either go on
 * to the next phase in the same tick or schedule the next tick. Every write is conditional on the lease and the
 * tick, so a controller that lost the deployment (lease expired, an owner's action bumped the tick) writes nothing.
 */

export interface RunnerDeps {
  owner: string;
  leaseMs: number;
  instances: HostRegistry;
  steps: StepTable;
  /** Queues tick `tick` of the deployment after `seconds`, inside `tx`. */
  schedule(tx: Tx, deploymentId: string, tick: number, seconds: number): Promise<void>;
  /** After a deployment ended: its route's instances should follow the new traffic. */
  ended(d: DeploymentRow): void;
}

class LostLease extends Error {}

const MAX_STEP_ERRORS = 5;

function leaseGuard(owner: string, tick: number): SQL {
  return and(
    eq(deployments.leaseOwner, owner),
    sql`COALESCE((${deployments.state}->>'tick')::int, 0) = ${tick}`,
  ) as SQL;
}

/**
 * Takes the deployment's lease for this tick: "stale" when the tick is not the row's any more (or it ended),
 * "busy" while another controller holds the lease for this very tick (it is finishing a step; try again shortly).
 */
async function acquire(
  deploymentId: string,
  tick: number,
  deps: RunnerDeps,
): Promise<DeploymentRow | "stale" | "busy"> {
  const db = await getDb();
  const current = and(
    eq(deployments.id, deploymentId),
    eq(deployments.status, "deploying"),
    sql`COALESCE((${deployments.state}->>'tick')::int, 0) = ${tick}`,
  );
  const [row] = await db
    .update(deployments)
    .set({ leaseOwner: deps.owner, leaseUntil: sql`now() + ${deps.leaseMs} * interval '1 millisecond'` })
    .where(
      and(
        current,
        // Not even this controller again: a second job for the same tick must not run beside the first.
        sql`(${deployments.leaseOwner} IS NULL OR ${deployments.leaseUntil} < now())`,
      ),
    )
    .returning();
  if (row) return row;
  const [held] = await db.select({ id: deployments.id }).from(deployments).where(current).limit(1);
  return held ? "busy" : "stale";
}

/** A step that lost its deployment (an owner's action bumped the tick) hands the lease back at once. */
async function release(deploymentId: string, deps: RunnerDeps): Promise<void> {
  const db = await getDb();
  await db
    .update(deployments)
    .set({ leaseOwner: null, leaseUntil: null })
    .where(and(eq(deployments.id, deploymentId), eq(deployments.leaseOwner, deps.owner)));
}

async function contextOf(d: DeploymentRow, deps: RunnerDeps, lines: string[]): Promise<StepContext> {
  const db = await getDb();
  const ids = [d.versionId, d.previousVersionId].filter((v): v is string => !!v);
  const versions = await Promise.all(
    ids.map((id) =>
      db
        .select()
        .from(agentVersions)
        .where(eq(agentVersions.id, id))
        .then((r) => r[0]),
    ),
  );
  const version = versions[0];
  if (!version) throw new Error(`deployment ${d.id}: its version is gone`);
  const route = await loadRoute(db, d.agentId, d.environment);
  return {
    deployment: d,
    config: configOf(d),
    version,
    previous: versions[1] ?? null,
    route: { agentId: d.agentId, environment: d.environment, host: d.host },
    weights: route?.weights ?? [],
    state: structuredClone(d.state as DeployState),
    instances: deps.instances,
    now: new Date(),
    log: (line) => lines.push(line),
  };
}

/**
 * Runs tick `tick` of a deployment. Returns "busy" when another controller holds it right now (the caller retries
 * the tick shortly); returns quietly when the tick is stale.
 */
export async function runTick(deploymentId: string, tick: number, deps: RunnerDeps): Promise<"busy" | void> {
  const acquired = await acquire(deploymentId, tick, deps);
  if (acquired === "busy") return "busy";
  if (acquired === "stale") return;
  let d: DeploymentRow | null = acquired;
  try {
    // Phases that finish at once run in the same tick; seven phases bound the loop.
    for (let round = 0; d && round < 16; round++) {
      const lines: string[] = [];
      const ctx = await contextOf(d, deps, lines);
      const phase = d.currentPhase as Exclude<PhaseName, "rollback">;
      let result: StepResult;
      try {
        result = await deps.steps[phase](ctx);
        delete ctx.state.step_errors;
      } catch (err) {
        const errors = (ctx.state.step_errors ?? 0) + 1;
        ctx.state.step_errors = errors;
        log().warn({ err, deployment: d.id, phase }, "a deployment step failed");
        ctx.log(`step failed: ${(err as Error).message}`);
        result =
          errors >= MAX_STEP_ERRORS
            ? { kind: "fail", reason: `The ${phase} phase failed ${errors} times: ${(err as Error).message}` }
            : { kind: "wait", seconds: Math.min(ctx.config.evaluation_interval, 5) };
      }
      d = await apply(d, phase, ctx, result, lines, deps);
    }
  } catch (err) {
    if (err instanceof LostLease) return release(deploymentId, deps);
    await release(deploymentId, deps).catch(() => {});
    throw err;
  }
}

/** Writes a step's outcome; returns the row when the deployment goes on in this tick. */
async function apply(
  d: DeploymentRow,
  phase: Exclude<PhaseName, "rollback">,
  ctx: StepContext,
  result: StepResult,
  lines: string[],
  deps: RunnerDeps,
): Promise<DeploymentRow | null> {
  const now = new Date();
  const tick = tickOf(d);
  const guard = leaseGuard(deps.owner, tick);
  let phases = appendLogs(startPhase(d.phases, phase, now), phase, now, lines);
  const state = ctx.state;

  if (result.kind === "fail" || result.kind === "rollback") {
    phases = endPhase(phases, phase, now, "failed");
    const back = result.kind === "rollback" ? ctx.previous : null;
    if (result.kind === "rollback") {
      phases = appendLogs(startPhase(phases, "rollback", now), "rollback", now, [
        result.reason,
        back ? `all traffic back to ${back.version}` : "no earlier version to return to: traffic stopped",
      ]);
      phases = endPhase(phases, "rollback", now, "completed");
    }
    const keep = back ? (state.instances?.[back.id] ?? 1) : 0;
    state.instances = back ? { [back.id]: Math.max(1, keep) } : {};
    const ended = await inTransaction((tx) =>
      endDeployment(tx, {
        deployment: d,
        from: "deploying",
        guard,
        status: result.kind === "fail" ? "failed" : "rolled_back",
        reason: result.reason,
        phases,
        currentPhase: result.kind === "fail" ? phase : "rollback",
        state,
        // A failure happens before traffic moved; a rollback returns it to the last good version.
        weights: result.kind === "rollback" ? (back ? [{ version_id: back.id, weight: 100 }] : []) : null,
        message: true,
      }),
    );
    if (!ended) throw new LostLease();
    deps.ended(d);
    return null;
  }

  phases = result.kind === "advance" ? endPhase(phases, phase, now, "completed") : phases;
  const next = result.kind === "advance" ? nextPhase(phase) : phase;
  if (next === null) {
    const ended = await inTransaction((tx) =>
      endDeployment(tx, {
        deployment: d,
        from: "deploying",
        guard,
        status: "deployed",
        reason: null,
        phases,
        currentPhase: phase,
        state,
        weights: result.weights ?? [{ version_id: d.versionId, weight: 100 }],
        liveVersionId: d.versionId,
        message: false,
      }),
    );
    if (!ended) throw new LostLease();
    deps.ended(d);
    return null;
  }

  const waiting = result.kind === "wait";
  if (waiting) state.tick = tick + 1;
  else phases = startPhase(phases, next, now);
  const progress = waiting ? progressOf(phase, result.fraction) : progressOf(next);
  return inTransaction(async (tx) => {
    const [row] = await tx
      .update(deployments)
      .set({
        phases,
        currentPhase: next,
        progress: Math.max(progress, d.progress),
        state: state as Record<string, unknown>,
        updatedAt: now,
        ...(waiting
          ? { nextStepAt: new Date(now.getTime() + result.seconds * 1000), leaseOwner: null, leaseUntil: null }
          : { leaseUntil: sql`now() + ${deps.leaseMs} * interval '1 millisecond'` }),
      })
      .where(and(eq(deployments.id, d.id), eq(deployments.status, "deploying"), guard))
      .returning();
    if (!row) throw new LostLease();
    if (result.weights) {
      await setRouteWeights(tx, d.agentId, d.environment, result.weights, { activeDeploymentId: d.id });
    }
    if (waiting) {
      await deps.schedule(tx, d.id, tick + 1, result.seconds);
      return null;
    }
    return row;
  });
}
