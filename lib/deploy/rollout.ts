import "server-only";
import { eq, sql } from "drizzle-orm";
import { getDb, type Tx } from "@/db/client";
import { agentRoutes, agents, deployments, type DeploymentPhase } from "@/db/schema";
import { conflict, notFound } from "@/lib/api/errors";
import { inTransaction } from "@/lib/db";
import type { NewEvent } from "@/lib/events/log";
import { setSecrets } from "@/lib/runtime/secrets/store";
import { enqueueDeployment } from "./controller";
import { rolloutInProgress, type RouteRow } from "./routes";
import { PHASES, type DeployHostName, type DeploymentConfig, type Environment } from "./types";
import type { VersionRow } from "./versions";
import { newWebhookSecret, sealWebhookSecret } from "./webhook-secret";

/**
 * The rows every rollout writes (the deployment, the environment's route, the agent's secrets, the controller's
 * job), and the transaction they are written in. One rollout per agent and environment is the unique index
 * deployments_one_active_key: a second one racing it gets a 409 naming the first.
 */

async function lockAgent(tx: Tx, agentId: string): Promise<void> {
  const [row] = await tx.select({ status: agents.status }).from(agents).where(eq(agents.id, agentId)).for("update");
  if (!row) throw notFound("Agent");
  if (row.status === "retired") throw conflict("A retired agent cannot be deployed");
}

const ACTIVE_KEY = "deployments_one_active_key";

function isActiveConflict(err: unknown): boolean {
  for (let e = err as { code?: string; constraint?: string; cause?: unknown } | undefined; e; e = e.cause as typeof e) {
    if (e.code === "23505") return e.constraint === ACTIVE_KEY || String((e as Error).message).includes(ACTIVE_KEY);
  }
  return false;
}

async function activeConflict(agentId: string, environment: Environment) {
  const active = await rolloutInProgress(await getDb(), agentId, environment);
  return conflict(`A deployment of this agent to ${environment} is in progress; wait for it, or abort it`, {
    environment,
    ...(active ? { deployment_id: active } : {}),
  });
}

export interface Rollout {
  agentId: string;
  environment: Environment;
  host: DeployHostName;
  version: VersionRow;
  config: DeploymentConfig;
  userId: string | null;
  secrets: Record<string, string> | undefined;
}

/**
 * The rollout's rows and its deployment_started event (the caller appends the events last); `route` is the
 * environment's route as it stands (null before its first deployment).
 */
export async function startRollout(
  tx: Tx,
  r: Rollout,
  route: RouteRow | null,
): Promise<{ id: string; createdAt: Date; webhookSecret: string | null; events: NewEvent[] }> {
  if (r.secrets) await setSecrets(tx, r.agentId, r.secrets);
  const phases: DeploymentPhase[] = PHASES.map((name) => ({
    name,
    status: "pending",
    started_at: null,
    completed_at: null,
    logs: [],
  }));
  const [dep] = await tx
    .insert(deployments)
    .values({
      agentId: r.agentId,
      environment: r.environment,
      host: r.host,
      versionId: r.version.id,
      // The version that served before: what a rollback returns to.
      previousVersionId: route?.liveVersionId ?? null,
      strategy: r.config.strategy,
      status: "deploying",
      phases,
      currentPhase: PHASES[0],
      config: r.config as unknown as Record<string, unknown>,
      createdByUserId: r.userId,
    })
    .returning({ id: deployments.id, createdAt: deployments.createdAt });
  if (!dep) throw new Error("deployment insert returned nothing");
  const webhookSecret = route?.webhookSecret ? null : newWebhookSecret();
  const sealed = webhookSecret ? sealWebhookSecret(r.agentId, r.environment, webhookSecret) : undefined;
  await tx
    .insert(agentRoutes)
    .values({
      agentId: r.agentId,
      environment: r.environment,
      host: r.host,
      config: r.config as unknown as Record<string, unknown>,
      activeDeploymentId: dep.id,
      webhookSecret: sealed,
    })
    .onConflictDoUpdate({
      target: [agentRoutes.agentId, agentRoutes.environment],
      set: {
        host: r.host,
        config: r.config as unknown as Record<string, unknown>,
        activeDeploymentId: dep.id,
        ...(sealed ? { webhookSecret: sealed } : {}),
        updatedAt: sql`now()`,
      },
    });
  await enqueueDeployment(tx, dep.id);
  const event: NewEvent = {
    type: "deployment_started",
    agentIds: [r.agentId],
    subjectType: "deployment",
    subjectId: dep.id,
    data: {
      deployment_id: dep.id,
      environment: r.environment,
      host: r.host,
      version: r.version.version,
      strategy: r.config.strategy,
      previous_version_id: route?.liveVersionId ?? null,
    },
  };
  return { id: dep.id, createdAt: dep.createdAt, webhookSecret, events: [event] };
}

/** Runs a rollout's transaction; a second rollout of the agent and environment racing it gets the 409. */
export async function inRollout<T>(agentId: string, environment: Environment, fn: (tx: Tx) => Promise<T>): Promise<T> {
  try {
    return await inTransaction(async (tx) => {
      // Orders this agent's deploys (and its secrets' count limit) one after another.
      await lockAgent(tx, agentId);
      return fn(tx);
    });
  } catch (err) {
    if (isActiveConflict(err)) throw await activeConflict(agentId, environment);
    throw err;
  }
}
