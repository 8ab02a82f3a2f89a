import "server-only";
import { and, desc, eq, inArray, sql } from "drizzle-orm";
import type { z } from "zod";
import type { Queryable } from "@/db/client";
import { agentRoutes, agentVersions, scalingEvents } from "@/db/schema";
import type { agentDetailSchema, agentListItemSchema } from "@/lib/api/contracts/agent-listings";
import {
  DEFAULT_DEPLOYMENT_CONFIG,
  type DeployHostName,
  type DeploymentConfig,
  type Environment,
} from "@/lib/deploy/types";
import { env } from "@/lib/env";
import { dataVersion } from "@/lib/events/version";
import { ListCache } from "./list-cache";
import { iso } from "./serialize";

/**
 * The deployed-agent fields of GET /api/agents and GET /api/agents/{id} (README.md, Deployments), read fresh for a page
 * of agents in two queries (routes with their live version, deployment and instance counts; then the last 24 hours
 * of calls), never one per agent. The catalogue page itself may come from the list cache; these change without an
 * event (health checks, calls), so they are not cached.
 */

type ListItem = z.infer<typeof agentListItemSchema>;
type Detail = z.infer<typeof agentDetailSchema>;
export type DeployedFields = Pick<
  ListItem,
  "agent_id" | "last_updated" | "version" | "environment" | "api_endpoint" | "health_status" | "performance_metrics"
>;

/** Which environment an agent deployed in several is shown in, without a filter. */
const PREFERENCE: Environment[] = ["prod", "staging", "dev"];
const LIVE = sql.raw(`i.status IN ('starting', 'healthy', 'unhealthy')`);
/** The last 24 hours as hour rows: this hour and the 23 before. */
const DAY = sql`date_trunc('hour', now()) - interval '23 hours'`;

interface Route {
  agentId: string;
  environment: Environment;
  host: DeployHostName;
  config: Record<string, unknown>;
  updatedAt: Date;
  versionId: string | null;
  version: string | null;
  tags: string[] | null;
  configuration: { memory_limit: number; timeout: number; concurrent_executions: number } | null;
  deploymentStatus: NonNullable<Detail["deployment"]>["status"];
  healthy: number;
  unhealthy: number;
  starting: number;
}

interface Calls {
  calls: number;
  failures: number;
  latency: number;
}

export interface DeployedAgent {
  route: Route;
  calls: Calls;
}

/** The shown route of each agent (see PREFERENCE) and its calls of the last 24 hours. */
export async function deployedAgents(
  db: Queryable,
  agentIds: string[],
  environment?: Environment,
): Promise<Map<string, DeployedAgent>> {
  const out = new Map<string, DeployedAgent>();
  if (!agentIds.length) return out;
  const count = (status: string) =>
    sql<number>`(SELECT count(*) FROM deployment_instances i WHERE i.agent_id = ${agentRoutes.agentId}
      AND i.environment = ${agentRoutes.environment} AND ${LIVE} AND i.status = ${status})`.mapWith(Number);
  const routes = await db
    .select({
      agentId: agentRoutes.agentId,
      environment: agentRoutes.environment,
      host: agentRoutes.host,
      config: agentRoutes.config,
      updatedAt: agentRoutes.updatedAt,
      versionId: agentVersions.id,
      version: agentVersions.version,
      tags: agentVersions.tags,
      configuration: agentVersions.configuration,
      deploymentStatus: sql<Route["deploymentStatus"]>`(SELECT d.status FROM deployments d
        WHERE d.agent_id = ${agentRoutes.agentId} AND d.environment = ${agentRoutes.environment}
        ORDER BY d.created_at DESC, d.id DESC LIMIT 1)`,
      healthy: count("healthy"),
      unhealthy: count("unhealthy"),
      starting: count("starting"),
    })
    .from(agentRoutes)
    .leftJoin(agentVersions, eq(agentVersions.id, agentRoutes.liveVersionId))
    .where(
      and(inArray(agentRoutes.agentId, agentIds), environment ? eq(agentRoutes.environment, environment) : undefined),
    );
  const shown = new Map<string, Route>();
  for (const r of routes) {
    const current = shown.get(r.agentId);
    if (!current || PREFERENCE.indexOf(r.environment) < PREFERENCE.indexOf(current.environment))
      shown.set(r.agentId, r);
  }
  if (!shown.size) return out;
  const res = (await db.execute(sql`
    SELECT agent_id, environment, sum(calls)::float8 AS calls, sum(errors + timeouts)::float8 AS failures,
      sum(latency_sum_ms)::float8 AS latency
    FROM call_rollups_hourly
    WHERE agent_id IN (${sql.join(
      [...shown.keys()].map((id) => sql`${id}`),
      sql`, `,
    )}) AND bucket_start >= ${DAY}
    GROUP BY agent_id, environment`)) as unknown as {
    rows: { agent_id: string; environment: Environment; calls: number; failures: number; latency: number }[];
  };
  for (const [agentId, route] of shown) {
    const c = res.rows.find((r) => r.agent_id === agentId && r.environment === route.environment);
    out.set(agentId, { route, calls: { calls: c?.calls ?? 0, failures: c?.failures ?? 0, latency: c?.latency ?? 0 } });
  }
  return out;
}

function healthOf(r: Route): DeployedFields["health_status"] {
  if (r.healthy > 0) return r.unhealthy > 0 ? "degraded" : "healthy";
  return r.unhealthy > 0 ? "unhealthy" : "unknown";
}

export function invocationUrl(origin: string, agentId: string, environment: Environment): string {
  return `${origin}/api/agents/${agentId}/invocations?environment=${environment}`;
}

/** The list's deployed fields of an agent (nulls when it was never deployed). */
export function deployedFields(
  agent: { id: string; updatedAt: Date | string },
  deployed: DeployedAgent | undefined,
  origin: string,
): DeployedFields {
  const route = deployed?.route;
  const updated = new Date(agent.updatedAt);
  if (!route || !deployed) {
    return {
      agent_id: agent.id,
      last_updated: iso(updated),
      version: null,
      environment: null,
      api_endpoint: null,
      health_status: null,
      performance_metrics: null,
    };
  }
  const { calls, failures, latency } = deployed.calls;
  return {
    agent_id: agent.id,
    last_updated: iso(route.updatedAt > updated ? route.updatedAt : updated),
    version: route.version,
    environment: route.environment,
    api_endpoint: invocationUrl(origin, agent.id, route.environment),
    health_status: healthOf(route),
    performance_metrics: {
      avg_response_time: calls ? Math.round((latency / calls) * 1000) / 1000 : null,
      success_rate: calls ? Math.round((1 - failures / calls) * 1e6) / 1e6 : null,
      total_requests: calls,
    },
  };
}

type DetailExtra = Pick<Detail, "metadata" | "deployment" | "performance" | "scaling" | "security">;

/** GET /api/agents/{id}: the list's fields and the details; `security` only for the agent itself or its owner. */
// Whether an agent has a route at all (most agents of a marketplace never deploy). Routes are written only with
// an event in the same transaction (lib/deploy/rollout.ts, retiring), so the answer holds while the data version
// does, and a profile of an agent that is not deployed costs no query here.
const routed = new ListCache<boolean>(5_000);

function isRouted(db: Queryable, agentId: string): Promise<boolean> {
  return dataVersion().then((version) =>
    routed.get(db, agentId, version, async () => {
      const rows = await db
        .select({ id: agentRoutes.agentId })
        .from(agentRoutes)
        .where(eq(agentRoutes.agentId, agentId))
        .limit(1);
      return rows.length > 0;
    }),
  );
}

export async function deployedDetail(
  db: Queryable,
  agent: {
    id: string;
    name: string;
    description: string;
    capabilities: string[];
    ownerUserId: string | null;
    createdAt: Date | string;
    updatedAt: Date | string;
  },
  origin: string,
  showSecurity: boolean,
): Promise<DeployedFields & DetailExtra> {
  const deployed = (await isRouted(db, agent.id)) ? (await deployedAgents(db, [agent.id])).get(agent.id) : undefined;
  const fields = deployedFields(agent, deployed, origin);
  const metadata = {
    name: agent.name,
    description: agent.description,
    version: fields.version,
    tags: deployed?.route.tags ?? agent.capabilities,
    created_by: agent.ownerUserId,
    created_at: iso(agent.createdAt),
    last_updated: fields.last_updated,
  };
  if (!deployed) return { ...fields, metadata, deployment: null, performance: null, scaling: null, security: null };
  const { route } = deployed;
  const [events, hours] = await Promise.all([
    db
      .select()
      .from(scalingEvents)
      .where(and(eq(scalingEvents.agentId, agent.id), eq(scalingEvents.environment, route.environment)))
      .orderBy(desc(scalingEvents.createdAt), desc(scalingEvents.id))
      .limit(20),
    db.execute(sql`
      SELECT count(*) FILTER (WHERE c > 0)::int AS active, count(*) FILTER (WHERE c > f)::int AS up
      FROM (SELECT sum(calls) AS c, sum(errors + timeouts) AS f FROM call_rollups_hourly
        WHERE agent_id = ${agent.id} AND environment = ${route.environment} AND bucket_start >= ${DAY}
        GROUP BY bucket_start) h`) as unknown as Promise<{ rows: { active: number; up: number }[] }>,
  ]);
  // The route's settings as the deploy verb stored them (lib/deploy/types.ts), defaults where it has none.
  const config = route.config as Partial<DeploymentConfig>;
  const scaling = { ...DEFAULT_DEPLOYMENT_CONFIG.auto_scaling, ...config.auto_scaling };
  const security = { ...DEFAULT_DEPLOYMENT_CONFIG.security, ...config.security };
  const vpc = security.vpc_config as (typeof security.vpc_config & { vpc_id?: string }) | null;
  const { calls, failures } = deployed.calls;
  const h = hours.rows[0];
  return {
    ...fields,
    metadata,
    deployment: {
      environment: route.environment,
      host: route.host,
      region: route.host === "local" ? "local" : (env().AWS_REGION ?? null),
      api_endpoint: fields.api_endpoint!,
      status: route.deploymentStatus,
      configuration: route.configuration,
    },
    performance: {
      uptime: h?.active ? Math.round((1e6 * h.up) / h.active) / 1e4 : null,
      total_requests: calls,
      avg_response_time: fields.performance_metrics!.avg_response_time,
      error_rate: calls ? Math.round((failures / calls) * 1e6) / 1e6 : null,
      throughput: Math.round((calls / 86_400) * 1e6) / 1e6,
    },
    scaling: {
      current_instances: route.healthy + route.unhealthy + route.starting,
      min_instances: scaling.min_instances,
      max_instances: scaling.max_instances,
      scaling_events: events.map((e) => ({
        timestamp: iso(e.createdAt),
        action: e.action,
        reason: e.reason,
        from_instances: e.fromInstances,
        to_instances: e.toInstances,
      })),
    },
    security: showSecurity
      ? {
          iam_role: security.iam_role_arn ?? null,
          vpc_id: vpc?.vpc_id ?? null,
          subnets: vpc?.subnet_ids ?? [],
          security_groups: vpc?.security_group_ids ?? [],
          encryption_status: "encrypted",
        }
      : null,
  };
}
