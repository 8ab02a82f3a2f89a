import "server-only";
import { and, eq, ne, type SQL } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { agentVersions, deployments, messages } from "@/db/schema";
import type { DeploymentPhase, TrafficWeight } from "@/db/schema/deployments";
import { appendEvents, type NewEvent } from "@/lib/events/log";
import { setRouteWeights } from "../routes";
import type { PhaseName } from "../types";
import type { DeploymentRow, DeployState } from "./context";

export type Ending = "deployed" | "failed" | "rolled_back" | "aborted";

const EVENT_OF: Record<Ending, string> = {
  deployed: "deployment_completed",
  failed: "deployment_failed",
  rolled_back: "deployment_rolled_back",
  aborted: "deployment_aborted",
};

export interface EndInput {
  deployment: DeploymentRow;
  /** The status the row must still have (conditional update: of racing endings exactly one wins). */
  from: "deploying" | "deployed";
  /** More conditions: the controller's lease and tick. */
  guard?: SQL;
  status: Ending;
  reason: string | null;
  phases: DeploymentPhase[];
  currentPhase: PhaseName;
  state: DeployState;
  /** The route's new weights, or null to leave them. */
  weights: TrafficWeight[] | null;
  liveVersionId?: string | null;
  /** Tell the owner in their inbox too (what happened without them: a failure, an automatic rollback). */
  message: boolean;
}

/**
 * Ends a deployment in one transaction: the row (only if it is still `from`), the route's traffic, the previous
 * live deployment marked superseded, and the owner told (inbox message and event). False when another ending won.
 */
export async function endDeployment(tx: Tx, e: EndInput): Promise<boolean> {
  const d = e.deployment;
  const now = new Date();
  const [row] = await tx
    .update(deployments)
    .set({
      status: e.status,
      reason: e.reason,
      phases: e.phases,
      currentPhase: e.currentPhase,
      progress: 100,
      state: e.state as Record<string, unknown>,
      completedAt: now,
      updatedAt: now,
      leaseOwner: null,
      leaseUntil: null,
    })
    .where(and(eq(deployments.id, d.id), eq(deployments.status, e.from), e.guard))
    .returning({ id: deployments.id });
  if (!row) return false;
  if (e.weights) {
    await setRouteWeights(tx, d.agentId, d.environment, e.weights, {
      activeDeploymentId: e.status === "deployed" ? d.id : null,
      ...(e.liveVersionId !== undefined ? { liveVersionId: e.liveVersionId } : {}),
    });
  }
  if (e.status === "deployed") {
    await tx
      .update(deployments)
      .set({ status: "superseded", updatedAt: now })
      .where(
        and(
          eq(deployments.agentId, d.agentId),
          eq(deployments.environment, d.environment),
          eq(deployments.status, "deployed"),
          ne(deployments.id, d.id),
        ),
      );
  }
  const [version] = await tx
    .select({ version: agentVersions.version })
    .from(agentVersions)
    .where(eq(agentVersions.id, d.versionId));
  const data = {
    deployment_id: d.id,
    agent_id: d.agentId,
    environment: d.environment,
    version: version?.version ?? null,
    strategy: d.strategy,
    status: e.status,
    reason: e.reason,
  };
  const events: NewEvent[] = [];
  if (e.message) events.push(await writeOwnerMessage(tx, d, version?.version ?? "", e.status, e.reason ?? ""));
  events.push({
    type: EVENT_OF[e.status],
    agentIds: [d.agentId],
    subjectType: "deployment",
    subjectId: d.id,
    data,
  });
  // Last in the transaction (the event log's lock is held to commit).
  await appendEvents(tx, events);
  return true;
}

const WORDS: Record<Ending, string> = {
  deployed: "is live",
  failed: "failed",
  rolled_back: "was rolled back",
  aborted: "was aborted",
};

/** A system message to the deployed agent: its owner reads it in their inbox (a person's inbox holds their agents'). */
async function writeOwnerMessage(
  tx: Tx,
  d: DeploymentRow,
  version: string,
  status: Ending,
  reason: string,
): Promise<NewEvent> {
  const [m] = await tx
    .insert(messages)
    .values({
      recipientAgentId: d.agentId,
      kind: "system",
      subject: `Deployment of ${version} to ${d.environment} ${WORDS[status]}`,
      body: `${reason}\n\nDeployment ${d.id} (${d.strategy}).`,
    })
    .returning({ id: messages.id });
  if (!m) throw new Error("message insert returned nothing");
  return {
    type: "message_created",
    agentIds: [d.agentId],
    subjectType: "message",
    subjectId: m.id,
    data: { message_id: m.id, job_id: null, kind: "system", recipient: { kind: "agent", id: d.agentId } },
  };
}
