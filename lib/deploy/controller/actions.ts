import "server-only";
import { and, eq, sql } from "drizzle-orm";
import { getDb, type Tx } from "@/db/client";
import { agentVersions, deployments } from "@/db/schema";
import type { deploymentActionResponse } from "@/lib/api/contracts/deployment-actions";
import { conflict, notFound } from "@/lib/api/errors";
import type { Principal } from "@/lib/auth/principal";
import { inTransaction } from "@/lib/db";
import { agentForChange } from "@/lib/market/agents";
import { loadRoute } from "../routes";
import type { z } from "zod";
import { tickOf, type DeploymentRow, type DeployState } from "./context";
import { endDeployment } from "./finish";
import { appendLogs, endPhase, startPhase } from "./phases";
import { sendRouteCheck, sendStep } from "./queue";
import type { PhaseName } from "../types";

type ActionJson = z.infer<typeof deploymentActionResponse>;

/**
 * The owner's actions on a deployment. Each is one conditional update in one transaction, so of racing actions
 * (and the controller's own ending) exactly one wins and the others get 409. The controller notices through the
 * deployment's tick: a step it was running can no longer write.
 */

async function deploymentOf(principal: Principal, agentId: string, deploymentId: string): Promise<DeploymentRow> {
  await agentForChange(principal, agentId);
  const db = await getDb();
  const [d] = await db
    .select()
    .from(deployments)
    .where(and(eq(deployments.id, deploymentId), eq(deployments.agentId, agentId)))
    .limit(1);
  if (!d) throw notFound("Deployment");
  return d;
}

async function json(id: string): Promise<ActionJson> {
  const db = await getDb();
  const [d] = await db.select().from(deployments).where(eq(deployments.id, id));
  if (!d) throw notFound("Deployment");
  const route = await loadRoute(db, d.agentId, d.environment);
  return {
    deployment_id: d.id,
    agent_id: d.agentId,
    environment: d.environment,
    status: d.status,
    current_phase: d.currentPhase,
    progress: d.progress,
    reason: d.reason,
    traffic: route?.weights ?? [],
  };
}

const refused = (d: DeploymentRow, what: string) =>
  conflict(`The deployment is ${d.status}: ${what}`, { status: d.status });

/** Ends `d` with all traffic back on `back` (the version before it), or on nothing when there was none. */
async function returnTraffic(
  tx: Tx,
  id: string,
  from: DeploymentRow["status"][],
  status: "rolled_back" | "aborted",
  reason: string,
): Promise<boolean> {
  const now = new Date();
  // Locked and read again: the phases the controller wrote meanwhile are kept, and its next write waits and loses.
  const [d] = await tx.select().from(deployments).where(eq(deployments.id, id)).for("update");
  if (!d || !from.includes(d.status)) return false;
  const [back] = d.previousVersionId
    ? await tx.select().from(agentVersions).where(eq(agentVersions.id, d.previousVersionId))
    : [];
  const phase = d.currentPhase as PhaseName;
  let phases = d.status === "deploying" ? endPhase(d.phases, phase, now, "failed") : d.phases;
  phases = appendLogs(startPhase(phases, "rollback", now), "rollback", now, [
    reason,
    back ? `all traffic back to ${back.version}` : "no earlier version to return to: traffic stopped",
  ]);
  phases = endPhase(phases, "rollback", now, "completed");
  const state = d.state as DeployState;
  const ok = await endDeployment(tx, {
    deployment: d,
    from: d.status === "deployed" ? "deployed" : "deploying",
    status,
    reason,
    phases,
    currentPhase: "rollback",
    state: { ...state, instances: back ? { [back.id]: Math.max(1, state.instances?.[back.id] ?? 1) } : {} },
    weights: back ? [{ version_id: back.id, weight: 100 }] : [],
    ...(d.status === "deployed" ? { liveVersionId: back?.id ?? null } : {}),
    message: false,
  });
  if (ok) await sendRouteCheck(tx, d.agentId, d.environment);
  return ok;
}

type OwnerAction = (
  principal: Principal,
  agentId: string,
  deploymentId: string,
  reason?: string,
) => Promise<ActionJson>;

/**
 * One owner action: the deployment as the caller may change it, `allowed` refuses what its status forbids, and
 * `change` is the one conditional write in its own transaction; when it loses a race (false) the answer is 409 `lost`.
 */
function ownerAction(
  allowed: (d: DeploymentRow) => void | Promise<void>,
  change: (tx: Tx, d: DeploymentRow, reason: string | undefined) => Promise<boolean>,
  lost: string,
): OwnerAction {
  return async (principal, agentId, deploymentId, reason) => {
    const d = await deploymentOf(principal, agentId, deploymentId);
    await allowed(d);
    if (!(await inTransaction((tx) => change(tx, d, reason)))) throw conflict(lost);
    return json(d.id);
  };
}

/** A deployment in progress, or the live one (with a version before it), returns all traffic to that version. */
export const rollbackDeployment = ownerAction(
  async (d) => {
    if (d.status === "deployed") {
      const route = await loadRoute(await getDb(), d.agentId, d.environment);
      if (route?.liveVersionId !== d.versionId || !d.previousVersionId) {
        throw refused(d, "only the live deployment with a version before it can be rolled back");
      }
    } else if (d.status !== "deploying") {
      throw refused(d, "only a deployment in progress or the live one can be rolled back");
    }
  },
  (tx, d, reason) => returnTraffic(tx, d.id, [d.status], "rolled_back", reason ?? "Rolled back by the owner"),
  "The deployment changed meanwhile; it can no longer be rolled back",
);

export const abortDeployment = ownerAction(
  (d) => {
    if (d.status !== "deploying") throw refused(d, "only a deployment in progress can be aborted");
  },
  (tx, d, reason) => returnTraffic(tx, d.id, ["deploying"], "aborted", reason ?? "Aborted by the owner"),
  "The deployment ended meanwhile; it can no longer be aborted",
);

/** A canary in progress is promoted at its next step, which is now (the step queued for later becomes stale). */
export const promoteDeployment = ownerAction(
  (d) => {
    if (d.status !== "deploying" || d.strategy !== "canary") {
      throw refused(d, "only a canary in progress can be promoted");
    }
  },
  async (tx, d) => {
    const now = new Date();
    const [row] = await tx
      .update(deployments)
      .set({
        state: sql`${deployments.state} || jsonb_build_object('promote_requested', true, 'tick', COALESCE((${deployments.state}->>'tick')::int, 0) + 1)`,
        nextStepAt: now,
        updatedAt: now,
      })
      .where(
        and(
          eq(deployments.id, d.id),
          eq(deployments.status, "deploying"),
          sql`NOT COALESCE((${deployments.state}->>'promote_requested')::boolean, false)`,
        ),
      )
      .returning();
    if (!row) return false;
    await sendStep(tx, d.id, tickOf(row), 0);
    return true;
  },
  "The canary ended or was already promoted",
);
