import "server-only";
import { and, eq, sql } from "drizzle-orm";
import type { Queryable } from "@/db/client";
import { agents, executions } from "@/db/schema";
import type { Environment } from "@/lib/deploy/types";

/** How many recent completed executions an estimate looks at. */
const RECENT = 50;

export interface DurationEstimate {
  /** The median, ms; null without history. */
  median_ms: number | null;
  /** How many executions it is the median of. */
  samples: number;
}

/**
 * The median duration (queued to done, what a caller waits) of the agent's last completed deployed executions,
 * in `environment` when named: the async answer's estimated_completion and the "delivered automatically" estimate.
 */
export async function recentDuration(
  db: Queryable,
  agentId: string,
  environment?: Environment | null,
): Promise<DurationEstimate> {
  const where = and(
    eq(executions.agentId, agentId),
    eq(executions.status, "completed"),
    eq(executions.host, "deployed"),
    environment ? eq(executions.environment, environment) : undefined,
  );
  const res = await db.execute<{ ms: number | string | null; n: number | string }>(sql`
    SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY ms) AS ms, count(*) AS n FROM (
      SELECT extract(epoch FROM ${executions.endTime} - ${executions.startTime}) * 1000 AS ms FROM ${executions}
      WHERE ${where} ORDER BY ${executions.endTime} DESC LIMIT ${RECENT}) recent`);
  const [r] = (res as unknown as { rows: { ms: number | string | null; n: number | string }[] }).rows;
  return { median_ms: r?.ms === null || r?.ms === undefined ? null : Number(r.ms), samples: Number(r?.n ?? 0) };
}

export interface AutoDelivery {
  agent_id: string;
  agent_name: string;
  estimate: DurationEstimate;
}

/** For an auto-fulfilled service: who delivers it, and how long that took lately. Null for a manual service. */
export async function autoDeliveryOf(
  db: Queryable,
  service: { fulfilment: string; fulfilment_agent_id: string | null; fulfilment_environment: Environment | null },
): Promise<AutoDelivery | null> {
  if (service.fulfilment !== "auto" || !service.fulfilment_agent_id) return null;
  const [agent] = await db.select({ name: agents.name }).from(agents).where(eq(agents.id, service.fulfilment_agent_id));
  if (!agent) return null;
  return {
    agent_id: service.fulfilment_agent_id,
    agent_name: agent.name,
    estimate: await recentDuration(db, service.fulfilment_agent_id, service.fulfilment_environment),
  };
}
