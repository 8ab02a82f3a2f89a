import "server-only";
import { eq } from "drizzle-orm";
import type { z } from "zod";
import { getDb, type Queryable } from "@/db/client";
import { agentRoutes } from "@/db/schema";
import type {
  deployBody,
  deployResponseSchema,
  deploymentSchema,
  updateVersionBody,
} from "@/lib/api/contracts/deployments";
import { badRequest, conflict, forbidden, notFound, unprocessable } from "@/lib/api/errors";
import { actsForAgent } from "@/lib/auth/acting";
import type { Principal } from "@/lib/auth/principal";
import { env } from "@/lib/env";
import { appendEvents } from "@/lib/events/log";
import { findAgent, type AgentRow } from "@/lib/market/agents";
import { ecsOperatorConfig } from "@/lib/runtime/operator";
import { agentCoreUnavailable } from "./hosts/agentcore/config";
import { sandboxSupport } from "@/lib/runtime/sandbox";
import { estimatedCompletion, normalizeConfig } from "./config";
import { checkKeyScopes, deployKey } from "./deploy-key";
import { inRollout, startRollout } from "./rollout";
import { loadRoute } from "./routes";
import { deploymentView } from "./serialize";
import type { DeployHostName, DeploymentConfig, Environment, SecurityConfig } from "./types";
import { findVersion, parseVersion, prepareCode, putVersion, type PreparedCode, type VersionRow } from "./versions";

/**
 * The deploy verbs (deploy, update a version: README.md, Deployments). Everything a request is checked against (ownership, semver, the host, the
 * bundle) is checked before the transaction; the transaction (./rollout.ts) then writes the version (if new), the
 * deployment, the environment's route, the agent's secrets and deploy key (./deploy-key.ts), schedules the controller
 * and appends the events: all of it commits or none.
 */

type DeployBody = z.output<typeof deployBody>;
type UpdateBody = z.output<typeof updateVersionBody>;
type DeployJson = z.infer<typeof deployResponseSchema>;
type DeploymentJson = z.infer<typeof deploymentSchema>;

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
 * local host there are none, and an AWS host takes only what the operator configured (lib/deploy/hosts/aws.ts).
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
  if (host === "agentcore") {
    const why = agentCoreUnavailable();
    if (why) throw refuse("host", `the agentcore host is not configured on this platform (${why})`);
    // AgentCore runtimes run as the operator's role, never a caller's; networks only the operator's own.
    if (role) throw refuse("security.iam_role_arn", "AgentCore runtimes run as the operator's role; leave it out");
  }
  const ecs = ecsOperatorConfig();
  if (host === "fargate" && !ecs) throw refuse("host", "the fargate host is not configured on this platform");
  if (!ecs) {
    if (vpc) throw refuse("security.vpc_config", "this platform has no operator networks to choose from");
    return { vpc_config: null, iam_role_arn: null };
  }
  const foreign = [
    ...(vpc?.subnet_ids ?? []).filter((s) => !ecs.subnets.includes(s)),
    ...(vpc?.security_group_ids ?? []).filter((g) => !ecs.securityGroups.includes(g)),
  ];
  if (foreign.length) throw refuse("security.vpc_config", `not the operator's networks: ${foreign.join(", ")}`);
  if (role && role !== ecs.taskRoleArn) throw refuse("security.iam_role_arn", "only the operator's task role");
  return { vpc_config: vpc, iam_role_arn: role };
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
  // The rollout's agent, environment, host and person (null for an agent's key).
  const who = { agentId: agent.id, environment, host, userId };

  const done = await inRollout(agent.id, environment, async (tx) => {
    const route = await loadRoute(tx, agent.id, environment);
    if (route?.liveVersionId && route.host !== host) {
      throw conflict(`${environment} runs on the ${route.host} host; deploy to it there`, { host: route.host });
    }
    const { row: v } = await putVersion(tx, agent.id, version, code, {
      description: meta.description,
      tags: meta.tags,
      userId,
      inputSchema: meta.input_schema,
    });
    const config = normalizeConfig({
      strategy: route?.liveVersionId ? "blue_green" : "initial",
      auto_scaling: cfg.auto_scaling,
      monitoring: body.monitoring,
      security,
    });
    const rollout = await startRollout(
      tx,
      { ...who, version: v, config, secrets: cfg.security?.environment_variables },
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
  const current = await loadRoute(db, agent.id, environment);
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
  // The rollout's agent, environment, host and person (null for an agent's key).
  const who = { agentId: agent.id, environment, host, userId };

  const id = await inRollout(agent.id, environment, async (tx) => {
    const route = await loadRoute(tx, agent.id, environment);
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
      { ...who, version: v, config, secrets: cfg?.security?.environment_variables },
      route,
    );
    await appendEvents(tx, rollout.events);
    return rollout.id;
  });
  const view = await deploymentView(db, agent.id, id);
  if (!view) throw new Error("deployment vanished after commit");
  return view;
}
