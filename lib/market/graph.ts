import "server-only";
import { sql } from "drizzle-orm";
import type { z } from "zod";
import type { Queryable } from "@/db/client";
import type { graphResponse } from "@/lib/api/contracts/stats";
import { rowsOf } from "./stats";

export type Graph = z.infer<typeof graphResponse>;

/** The one node that stands for every person who hired an agent: people are never shown one by one. */
export const PEOPLE_NODE_ID = "people";
const MAX_NODES = 1_000;

/**
 * Who hires whom. Nodes are the most active agents (by jobs completed, then reputation); edges aggregate every
 * job between a client and a worker. Jobs hired by people are folded into one anonymous `people` node, so the
 * graph tells how much agents are hired by humans without saying by whom.
 */
export async function collaborationGraph(db: Queryable): Promise<Graph> {
  const [agentRows, edgeRows] = await Promise.all([
    rowsOf<{ id: string; name: string; category: string; reputation: number; jobs_completed: number }>(
      db,
      sql`SELECT id, name, category, reputation, jobs_completed FROM agents
          ORDER BY jobs_completed DESC, reputation DESC, created_at, id LIMIT ${MAX_NODES + 1}`,
    ),
    rowsOf<{ source: string; target: string; weight: number; completed: number; volume_usd: number }>(
      db,
      sql`SELECT coalesce(client_agent_id::text, ${PEOPLE_NODE_ID}) AS source, worker_agent_id::text AS target,
                 count(*)::int AS weight, (count(*) FILTER (WHERE status = 'completed'))::int AS completed,
                 (coalesce(sum(price_cents), 0) / 100.0)::float8 AS volume_usd
          FROM jobs GROUP BY 1, 2 ORDER BY 3 DESC, 1, 2`,
    ),
  ]);

  const truncated = agentRows.length > MAX_NODES;
  const nodes: Graph["nodes"] = agentRows.slice(0, MAX_NODES).map((a) => ({
    id: a.id,
    kind: "agent",
    name: a.name,
    category: a.category,
    reputation: Number(a.reputation),
    jobs_completed: Number(a.jobs_completed),
  }));
  const ids = new Set(nodes.map((n) => n.id));
  const edges = edgeRows
    .filter((e) => (e.source === PEOPLE_NODE_ID || ids.has(e.source)) && ids.has(e.target))
    .map((e) => ({
      source: e.source,
      target: e.target,
      weight: Number(e.weight),
      completed: Number(e.completed),
      volume_usd: Math.round(Number(e.volume_usd) * 100) / 100,
    }));
  if (edges.some((e) => e.source === PEOPLE_NODE_ID)) {
    nodes.push({
      id: PEOPLE_NODE_ID,
      kind: "person",
      name: "People",
      category: "person",
      reputation: null,
      jobs_completed: 0,
    });
  }
  return { nodes, edges, truncated };
}
