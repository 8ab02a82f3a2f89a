import "server-only";
import { and, count, desc, eq, isNull, notInArray, sql } from "drizzle-orm";
import type { z } from "zod";
import { getDb, type Queryable, type Tx } from "@/db/client";
import { agentRoutes, agents, apiKeys, deployments, type DeploymentPhase } from "@/db/schema";
import type {
  deployBody,
  deployResponseSchema,
  deploymentSchema,
  updateVersionBody,
} from "@/lib/api/contracts/deployments";
import { badRequest, conflict, forbidden, notFound, unprocessable } from "@/lib/api/errors";
import { actsForAgent } from "@/lib/auth/acting";
import type { Principal } from "@/lib/auth/principal";
import type { Scope } from "@/lib/auth/scopes";
import { inTransaction } from "@/lib/db";
import { env } from "@/lib/env";
import { appendEvents, type NewEvent } from "@/lib/events/log";
import { insertApiKey, MAX_ACTIVE_KEYS } from "@/lib/market/api-keys";
import { findAgent, type AgentRow } from "@/lib/market/agents";
import { ecsOperatorConfig } from "@/lib/runtime/operator";
import { sandboxSupport } from "@/lib/runtime/sandbox";
import { setSecrets } from "@/lib/runtime/secrets/store";
import { estimatedCompletion, normalizeConfig } from "./config";
import { enqueueDeployment } from "./controller";
import { deploymentView } from "./serialize";
import { PHASES, type DeployHostName, type DeploymentConfig, type Environment, type SecurityConfig } from "./types";
import { findVersion, parseVersion, prepareCode, putVersion, type PreparedCode, type VersionRow } from "./versions";
import { newWebhookSecret, sealWebhookSecret } from "./webhook-secret";

/**
 * The deploy verbs (seed 003 1.1, 1.2). Everything a request is checked against (ownership, semver, the host, the
 * bundle) is checked before the transaction; the transaction then writes the version (if new), the deployment, the
 * environment's route, the agent's secrets and deploy key, schedules the controller and appends the events: all of
 * it commits or none. One rollout per agent and environment is the unique index deployments_one_active_key.
 */

type DeployBody = z.output<typeof deployBody>;
type UpdateBody = z.output<typeof updateVersionBody>;
type DeployJson = z.infer<typeof deployResponseSchema>;
type DeploymentJson = z.infer<typeof deploymentSchema>;
type RouteRow = typeof agentRoutes.$inferSelect;

/** The deploy key's scopes: call the deployed agent, nothing else. */
const DEPLOY_KEY_SCOPES: Scope[] = ["agent:execute", "invoke"];
/** Deploy keys of an environment kept active: the new one and the one before (clients rotate in between). */
const DEPLOY_KEYS_KEPT = 2;

/** The agent, when the caller is it or owns it (404 unknown, 403 someone else's). */
export async function ownedAgent(principal: Principal, agentId: string): Promise<AgentRow> {
  const db = await getDb();
  const agent = await findAgent(db, agentId);
  if (!agent) throw notFound("Agent");
  if (!(await actsForAgent(db, principal, agent.id, agent.ownerUserId))) {
    throw forbidden("Only the agent itself or its owner may deploy it or see its deployments");
  }
  return agent;
}

/**
 * Where a version may run and with which AWS settings. Nothing of a request becomes a role or a network: on the
 * local host there are none, and an AWS host takes only what the operator configured (issue 11 adds those hosts).
 */
function checkHost(host: DeployHostName, security: DeployBody["deployment_config"]["security"]): SecurityConfig {
  const vpc = security?.vpc_config ?? null;
  const role = security?.iam_role_arn ?? null;
  const refuse = (field: string, message: string) =>
    unprocessable(`deployment_config.${field}: ${message}`, { fields: { [`deployment_config.${field}`]: message } });
  if (host === "local") {
    if (vpc) throw refuse("security.vpc_config", "the local host has no VPC; leave it out");
    if (role) throw refuse("security.iam_role_arn", "the local host takes no IAM role; leave it out");
    return { vpc_config: null, iam_role_arn: null };
  }
  const ecs = host === "fargate" ? ecsOperatorConfig() : null;
  if (!ecs) throw refuse("host", `the ${host} host is not available yet on this platform`);
  const foreign = [
    ...(vpc?.subnet_ids ?? []).filter((s) => !ecs.subnets.includes(s)),
    ...(vpc?.security_group_ids ?? []).filter((g) => !ecs.securityGroups.includes(g)),
  ];
  if (foreign.length) throw refuse("security.vpc_config", `not the operator's networks: ${foreign.join(", ")}`);
  if (role && role !== ecs.taskRoleArn) throw refuse("security.iam_role_arn", "only the operator's task role");
  return { vpc_config: vpc, iam_role_arn: role };
}

/** A key can hand out only scopes it holds (as for POST /api/agents/me/keys); a person holds every scope. */
function checkKeyScopes(principal: Principal): void {
  const missing = DEPLOY_KEY_SCOPES.filter((s) => !principal.scopes.includes(s));
  if (missing.length) {
    throw forbidden(`Deploying creates a key with ${missing.join(", ")}, which this API key lacks`, {
      missing_scopes: missing,
    });
  }
}

async function lockAgent(tx: Tx, agentId: string): Promise<void> {
  const [row] = await tx.select({ status: agents.status }).from(agents).where(eq(agents.id, agentId)).for("update");
  if (!row) throw notFound("Agent");
  if (row.status === "retired") throw conflict("A retired agent cannot be deployed");
}

async function routeOf(db: Queryable, agentId: string, environment: Environment): Promise<RouteRow | null> {
  const [row] = await db
    .select()
    .from(agentRoutes)
    .where(and(eq(agentRoutes.agentId, agentId), eq(agentRoutes.environment, environment)));
  return row ?? null;
}

const ACTIVE_KEY = "deployments_one_active_key";

function isActiveConflict(err: unknown): boolean {
  for (let e = err as { code?: string; constraint?: string; cause?: unknown } | undefined; e; e = e.cause as typeof e) {
    if (e.code === "23505") return e.constraint === ACTIVE_KEY || String((e as Error).message).includes(ACTIVE_KEY);
  }
  return false;
}

async function activeConflict(agentId: string, environment: Environment) {
  const [active] = await (
    await getDb()
  )
    .select({ id: deployments.id })
    .from(deployments)
    .where(
      and(
        eq(deployments.agentId, agentId),
        eq(deployments.environment, environment),
        eq(deployments.status, "deploying"),
      ),
    );
  return conflict(`A deployment of this agent to ${environment} is in progress; wait for it, or abort it`, {
    environment,
    ...(active ? { deployment_id: active.id } : {}),
  });
}

interface Rollout {
  agentId: string;
  environment: Environment;
  host: DeployHostName;
  version: VersionRow;
  previousVersionId: string | null;
  config: DeploymentConfig;
  userId: string | null;
  secrets: Record<string, string> | undefined;
}

/** The rollout's rows and its deployment_started event (the caller appends the events last). */
async function startRollout(
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
      previousVersionId: r.previousVersionId,
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
      previous_version_id: r.previousVersionId,
    },
  };
  return { id: dep.id, createdAt: dep.createdAt, webhookSecret, events: [event] };
}

/**
 * A new key for calling the deployed agent, named after the environment; deploy keys of the environment older than
 * the previous one are revoked, so that deploying often does not pile keys up.
 */
async function deployKey(
  tx: Tx,
  agentId: string,
  environment: Environment,
): Promise<{ key: string; events: NewEvent[] }> {
  const name = `deploy:${environment}`;
  const created = await insertApiKey(tx, agentId, { name, scopes: DEPLOY_KEY_SCOPES });
  const ofEnv = and(eq(apiKeys.agentId, agentId), eq(apiKeys.name, name), isNull(apiKeys.revokedAt));
  const kept = tx
    .select({ id: apiKeys.id })
    .from(apiKeys)
    .where(ofEnv)
    .orderBy(desc(apiKeys.createdAt), desc(apiKeys.id))
    .limit(DEPLOY_KEYS_KEPT);
  const revoked = await tx
    .update(apiKeys)
    .set({ revokedAt: new Date() })
    .where(and(ofEnv, notInArray(apiKeys.id, kept), sql`${apiKeys.id} <> ${created.row.id}`))
    .returning({ id: apiKeys.id });
  const [active] = await tx
    .select({ n: count() })
    .from(apiKeys)
    .where(and(eq(apiKeys.agentId, agentId), isNull(apiKeys.revokedAt)));
  if ((active?.n ?? 0) > MAX_ACTIVE_KEYS) {
    throw conflict(`An agent may have at most ${MAX_ACTIVE_KEYS} active keys; revoke one before deploying`);
  }
  const events: NewEvent[] = [
    {
      type: "api_key_created",
      agentIds: [agentId],
      subjectType: "api_key",
      subjectId: created.row.id,
      data: { agent_id: agentId, key_id: created.row.id, name, scopes: DEPLOY_KEY_SCOPES },
    },
    ...revoked.map((k) => ({
      type: "api_key_revoked",
      agentIds: [agentId],
      subjectType: "api_key",
      subjectId: k.id,
      data: { agent_id: agentId, key_id: k.id, name },
    })),
  ];
  return { key: created.key, events };
}

/** Runs a rollout's transaction; a second rollout of the agent and environment racing it gets the 409. */
async function inRollout<T>(agentId: string, environment: Environment, fn: (tx: Tx) => Promise<T>): Promise<T> {
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

function runtimeEnvironment(host: DeployHostName, code: Pick<PreparedCode, "runtime">): string {
  if (host !== "local") return `${host}/container`;
  const where = sandboxSupport().available ? "sandbox" : "process";
  return code.runtime === "python" ? `${where}/python3` : `${where}/node${process.versions.node.split(".")[0]}`;
}

/** POST /api/agents/deploy. */
export async function deployAgent(principal: Principal, body: DeployBody, origin: string): Promise<DeployJson> {
  const meta = body.agent_metadata;
  const version = parseVersion(meta.version, "agent_metadata.version");
  const agent = await ownedAgent(principal, meta.agent_id);
  if (meta.name !== agent.name) {
    throw unprocessable(
      `agent_metadata.name must be the agent's name (${agent.name}); rename it with PATCH /api/agents/{id}`,
      {
        fields: { "agent_metadata.name": "not the agent's name" },
      },
    );
  }
  const cfg = body.deployment_config;
  const host = cfg.host ?? env().DEPLOY_DEFAULT_HOST;
  const security = checkHost(host, cfg.security);
  checkKeyScopes(principal);
  const code = await prepareCode(body.agent_code, host);
  const environment = cfg.environment;
  const userId = principal.kind === "user" ? principal.userId : null;

  const done = await inRollout(agent.id, environment, async (tx) => {
    const route = await routeOf(tx, agent.id, environment);
    if (route?.liveVersionId && route.host !== host) {
      throw conflict(`${environment} runs on the ${route.host} host; deploy to it there`, { host: route.host });
    }
    const { row: v } = await putVersion(tx, agent.id, version, code, {
      description: meta.description,
      tags: meta.tags,
      userId,
    });
    const config = normalizeConfig({
      strategy: route?.liveVersionId ? "blue_green" : "initial",
      auto_scaling: cfg.auto_scaling,
      monitoring: body.monitoring,
      security,
    });
    const rollout = await startRollout(
      tx,
      {
        agentId: agent.id,
        environment,
        host,
        version: v,
        previousVersionId: route?.liveVersionId ?? null,
        config,
        userId,
        secrets: cfg.security?.environment_variables,
      },
      route,
    );
    const key = await deployKey(tx, agent.id, environment);
    await appendEvents(tx, [...rollout.events, ...key.events]);
    return { ...rollout, version: v, config, apiKey: key.key };
  });

  return {
    deployment_id: done.id,
    agent_id: agent.id,
    status: "deploying",
    api_endpoint: `${origin}/api/agents/${agent.id}/invocations?environment=${environment}`,
    deployment_info: {
      region: host === "local" ? "local" : (env().AWS_REGION ?? "unknown"),
      runtime_environment: runtimeEnvironment(host, code),
      created_at: done.createdAt.toISOString(),
      estimated_completion: estimatedCompletion(done.config, done.createdAt).toISOString(),
    },
    monitoring: {
      cloudwatch_log_group: `/agent-market/agents/${agent.id}/${environment}`,
      metrics_namespace: `AgentMarket/Agents/${agent.id}`,
      dashboard_url: `${origin}/agents/${agent.id}/deployments`,
    },
    security: { api_key: done.apiKey, webhook_secret: done.webhookSecret },
    environment,
    host,
    strategy: done.config.strategy,
    version: done.version.version,
    version_id: done.version.id,
  };
}

/** The environment an update goes to when the request names none: prod, else the agent's only one. */
async function defaultEnvironment(db: Queryable, agentId: string): Promise<Environment> {
  const rows = await db
    .select({ environment: agentRoutes.environment })
    .from(agentRoutes)
    .where(eq(agentRoutes.agentId, agentId));
  const envs = rows.map((r) => r.environment);
  if (envs.includes("prod") || envs.length === 0) return "prod";
  if (envs.length === 1) return envs[0] as Environment;
  throw badRequest(`deployment_config.environment: the agent runs in ${envs.join(", ")}; name one`, {
    fields: { "deployment_config.environment": "required when the agent runs in several environments" },
  });
}

/** PUT /api/agents/{id}/versions/{version}: a new (or existing) version rolled out to a deployed environment. */
export async function updateVersion(
  principal: Principal,
  agentId: string,
  versionParam: string,
  body: UpdateBody,
): Promise<DeploymentJson> {
  const version = parseVersion(versionParam, "version");
  const agent = await ownedAgent(principal, agentId);
  const db = await getDb();
  const cfg = body.deployment_config;
  const environment = cfg?.environment ?? (await defaultEnvironment(db, agent.id));
  const notDeployed = () =>
    conflict(`The agent is not deployed to ${environment}; deploy it first (POST /api/agents/deploy)`, { environment });
  const current = await routeOf(db, agent.id, environment);
  if (!current?.liveVersionId) throw notDeployed();
  const host = current.host;
  if (cfg?.host && cfg.host !== host) {
    throw unprocessable(`deployment_config.host: ${environment} runs on the ${host} host; an update stays there`, {
      fields: { "deployment_config.host": `must be ${host}` },
    });
  }
  const security = cfg?.security ? checkHost(host, cfg.security) : undefined;
  const code = body.agent_code ? await prepareCode(body.agent_code, host) : null;
  if (!code && !(await findVersion(db, agent.id, version))) {
    throw unprocessable(`Version ${version} does not exist yet: send its agent_code`, {
      fields: { agent_code: "required for a new version" },
    });
  }
  const userId = principal.kind === "user" ? principal.userId : null;

  const id = await inRollout(agent.id, environment, async (tx) => {
    const route = await routeOf(tx, agent.id, environment);
    if (!route?.liveVersionId) throw notDeployed();
    const v = code
      ? (await putVersion(tx, agent.id, version, code, { description: "", tags: [], userId })).row
      : ((await findVersion(tx, agent.id, version)) as VersionRow);
    if (v.id === route.liveVersionId)
      throw conflict(`Version ${version} is already live in ${environment}`, { version });
    const config = normalizeConfig(
      {
        strategy: body.deployment_strategy,
        canary: body.canary_config,
        rollback: body.rollback_config,
        auto_scaling: cfg?.auto_scaling,
        monitoring: body.monitoring,
        security,
      },
      route.config as unknown as DeploymentConfig,
    );
    const rollout = await startRollout(
      tx,
      {
        agentId: agent.id,
        environment,
        host,
        version: v,
        previousVersionId: route.liveVersionId,
        config,
        userId,
        secrets: cfg?.security?.environment_variables,
      },
      route,
    );
    await appendEvents(tx, rollout.events);
    return rollout.id;
  });
  const view = await deploymentView(db, agent.id, id);
  if (!view) throw new Error("deployment vanished after commit");
  return view;
}
