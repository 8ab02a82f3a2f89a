import "server-only";
import { and, eq, isNull, ne, sql, type SQL } from "drizzle-orm";
import { getDb, type Queryable } from "@/db/client";
import { agents, apiKeys, services } from "@/db/schema";
import { badRequest, conflict, forbidden, notFound } from "@/lib/api/errors";
import { actsForAgent } from "@/lib/auth/acting";
import type { Principal } from "@/lib/auth/principal";
import { inTransaction } from "@/lib/db";
import { appendEvents, type NewEvent } from "@/lib/events/log";
import { dataVersion } from "@/lib/events/version";
import { splitRuntime, type RuntimeConfig } from "@/lib/runtime/config";
import { assertRuntimeAllowed } from "@/lib/runtime/policy";
import { stopAgentExecutions } from "@/lib/runtime/executions";
import { setSecrets } from "@/lib/runtime/secrets/store";
import { insertApiKey, type ApiKeyRow } from "./api-keys";
import type { AgentRowLike } from "./serialize";
import { failJobsOfRetiredWorker } from "./job-transitions";
import { ListCache } from "./list-cache";

/** The ids of the agents a person owns, as a subquery: `column IN ${ownedAgentIds(userId)}`. */
export function ownedAgentIds(userId: string): SQL {
  return sql`(SELECT ${agents.id} FROM ${agents} WHERE ${agents.ownerUserId} = ${userId})`;
}

/** Every agent column but the search vector (which is large and never shown). */
export const agentColumns = {
  id: agents.id,
  name: agents.name,
  description: agents.description,
  capabilities: agents.capabilities,
  category: agents.category,
  status: agents.status,
  reputation: agents.reputation,
  ratingCount: agents.ratingCount,
  jobsCompleted: agents.jobsCompleted,
  ownerUserId: agents.ownerUserId,
  runtime: agents.runtime,
  pricePerRun: agents.pricePerRun,
  pricePerCall: agents.pricePerCall,
  createdAt: agents.createdAt,
  updatedAt: agents.updatedAt,
};

export type AgentRow = AgentRowLike & { createdAt: Date; updatedAt: Date };

export interface AgentInput {
  name: string;
  description: string;
  capabilities: string[];
  category: string;
  runtime?: RuntimeConfig;
}

export interface AgentPatch {
  name?: string;
  description?: string;
  capabilities?: string[];
  category?: string;
  runtime?: RuntimeConfig | null;
  status?: "active" | "busy" | "offline";
  price_per_run?: number | null;
  price_per_call?: number | null;
}

const unique = (list: string[]) => [...new Set(list)];

export async function findAgent(db: Queryable, id: string): Promise<AgentRow | null> {
  const [row] = await db.select(agentColumns).from(agents).where(eq(agents.id, id)).limit(1);
  return (row as AgentRow | undefined) ?? null;
}

const profiles = new ListCache<AgentRow | null>(5_000);

/** The public profile read (GET /api/agents/{id}): cached while the data version stands, so a hit costs no query. */
export async function findAgentCached(id: string): Promise<AgentRow | null> {
  const db = await getDb();
  return profiles.get(db, id, await dataVersion(), () => findAgent(db, id));
}

/** Registers an agent with one all-scopes key, shown once. A signed-in person becomes the owner. */
export async function registerAgent(
  input: AgentInput,
  ownerUserId: string | null,
): Promise<{ agent: AgentRow; key: string; keyRow: ApiKeyRow }> {
  // The operator's allow-lists (artifacts, ECS prefix, AgentCore ARNs) are checked before anything is written;
  // the runtime's `env` is stored apart, encrypted, never in the runtime (docs/agent-contract.md).
  if (input.runtime) assertRuntimeAllowed(input.runtime);
  const split = input.runtime ? splitRuntime(input.runtime) : null;
  return inTransaction(async (tx) => {
    const [agent] = await tx
      .insert(agents)
      .values({
        name: input.name,
        description: input.description,
        capabilities: unique(input.capabilities),
        category: input.category,
        runtime: split?.stored ?? null,
        ownerUserId,
      })
      .returning(agentColumns);
    const row = agent as AgentRow;
    if (split) await setSecrets(tx, row.id, split.env);
    const { row: keyRow, key } = await insertApiKey(tx, row.id);
    await appendEvents(tx, [
      {
        type: "agent_registered",
        agentIds: [row.id],
        // The owner's open streams start following the new agent (lib/events/audience.ts agentGained).
        userIds: [ownerUserId],
        subjectType: "agent",
        subjectId: row.id,
        data: { name: row.name, category: row.category, capabilities: row.capabilities, owner_user_id: ownerUserId },
      },
      {
        type: "api_key_created",
        agentIds: [row.id],
        subjectType: "api_key",
        subjectId: keyRow.id,
        data: { agent_id: row.id, key_id: keyRow.id, name: keyRow.name, scopes: keyRow.scopes },
      },
    ]);
    return { agent: row, key, keyRow };
  });
}

/**
 * Loads an agent the caller wants to change: 404 when it does not exist, 403 when the caller neither is it
 * nor owns it (profiles are public, so hiding it behind a 404 would protect nothing).
 */
export async function agentForChange(principal: Principal, id: string): Promise<AgentRow> {
  const db = await getDb();
  const agent = await findAgent(db, id);
  if (!agent) throw notFound("Agent");
  if (!(await actsForAgent(db, principal, agent.id, agent.ownerUserId))) {
    throw forbidden("Only the agent itself or its owner may change it");
  }
  return agent;
}

/**
 * The agent a `/api/agents/me*` route acts on: the calling agent, or for a signed-in person the owned agent
 * named by `?agent_id=` (400 without it).
 */
export async function meAgent(principal: Principal, agentId: string | undefined): Promise<AgentRow> {
  if (principal.kind === "agent") {
    if (agentId !== undefined && agentId !== principal.agentId) {
      throw forbidden("An API key acts for its own agent only");
    }
    const agent = await findAgent(await getDb(), principal.agentId);
    if (!agent) throw notFound("Agent");
    return agent;
  }
  if (agentId === undefined) {
    throw badRequest("/api/agents/me names the calling agent: a signed-in person passes ?agent_id= of an owned agent", {
      fields: { agent_id: "required for a signed-in person" },
    });
  }
  return agentForChange(principal, agentId);
}

/** Partial update of profile, runtime and (for PUT) status. Retired agents are read-only (409). */
export async function updateAgent(agent: AgentRow, patch: AgentPatch): Promise<AgentRow> {
  const set: Partial<typeof agents.$inferInsert> = {};
  if (patch.name !== undefined) set.name = patch.name;
  if (patch.description !== undefined) set.description = patch.description;
  if (patch.capabilities !== undefined) set.capabilities = unique(patch.capabilities);
  if (patch.category !== undefined) set.category = patch.category;
  let secrets: Record<string, string> = {};
  if (patch.runtime) {
    assertRuntimeAllowed(patch.runtime);
    const split = splitRuntime(patch.runtime);
    set.runtime = split.stored;
    secrets = split.env;
  } else if (patch.runtime === null) set.runtime = null;
  if (patch.status !== undefined) set.status = patch.status;
  if (patch.price_per_run !== undefined) set.pricePerRun = patch.price_per_run;
  if (patch.price_per_call !== undefined) set.pricePerCall = patch.price_per_call;
  const fields = Object.keys(set);
  if (agent.status === "retired") throw conflict("A retired agent cannot be changed");
  if (fields.length === 0) return agent;

  return inTransaction(async (tx) => {
    const [row] = await tx
      .update(agents)
      .set({ ...set, updatedAt: sql`now()` })
      .where(and(eq(agents.id, agent.id), ne(agents.status, "retired")))
      .returning(agentColumns);
    if (!row) throw conflict("A retired agent cannot be changed");
    await setSecrets(tx, agent.id, secrets);
    const events: NewEvent[] = [
      {
        type: "agent_updated",
        agentIds: [agent.id],
        subjectType: "agent",
        subjectId: agent.id,
        // Never a secret's name or value: only that the variables changed.
        data: { fields: [...fields.map(snake), ...(Object.keys(secrets).length ? ["secrets"] : [])] },
      },
    ];
    if (patch.status !== undefined && patch.status !== agent.status) {
      events.push(statusEvent(agent.id, agent.status, patch.status));
    }
    // A status-only change is reported once, as agent_status_changed.
    await appendEvents(tx, fields.length === 1 && patch.status !== undefined ? events.slice(1) : events);
    return row as AgentRow;
  });
}

function snake(field: string): string {
  return field.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

function statusEvent(agentId: string, from: string, to: string): NewEvent {
  return {
    type: "agent_status_changed",
    agentIds: [agentId],
    subjectType: "agent",
    subjectId: agentId,
    data: { from, to },
  };
}

export async function setAgentStatus(agent: AgentRow, status: "active" | "busy" | "offline"): Promise<AgentRow> {
  if (agent.status === "retired") throw conflict("A retired agent cannot change status");
  return inTransaction(async (tx) => {
    const [row] = await tx
      .update(agents)
      .set({ status, updatedAt: sql`now()` })
      .where(and(eq(agents.id, agent.id), ne(agents.status, "retired")))
      .returning(agentColumns);
    if (!row) throw conflict("A retired agent cannot change status");
    if (status !== agent.status) await appendEvents(tx, [statusEvent(agent.id, agent.status, status)]);
    return row as AgentRow;
  });
}

/**
 * Retires an agent: status `retired`, its services deactivated, its keys revoked (they stop working at once:
 * see lib/auth/resolve.ts), its live executions stopped. Jobs, ratings, executions and events stay readable.
 * Retiring a retired agent changes nothing.
 */
export async function retireAgent(agent: AgentRow): Promise<AgentRow> {
  const retired = await markRetired(agent);
  // After the commit (host calls cannot be part of it), its live executions are stopped, whoever retired it
  // first; their records stay readable.
  await stopAgentExecutions(agent.id);
  return retired;
}

async function markRetired(agent: AgentRow): Promise<AgentRow> {
  if (agent.status === "retired") return agent;
  const retired = await inTransaction(async (tx) => {
    const [row] = await tx
      .update(agents)
      .set({ status: "retired", updatedAt: sql`now()` })
      .where(and(eq(agents.id, agent.id), ne(agents.status, "retired")))
      .returning(agentColumns);
    if (!row) return null;
    const deactivated = await tx
      .update(services)
      .set({ active: false, updatedAt: sql`now()` })
      .where(and(eq(services.agentId, agent.id), eq(services.active, true)))
      .returning({ id: services.id });
    await tx
      .update(apiKeys)
      .set({ revokedAt: sql`now()` })
      .where(and(eq(apiKeys.agentId, agent.id), isNull(apiKeys.revokedAt)));
    // Its open jobs can no longer be worked on: they fail (and their pending sub-jobs are cancelled) in this
    // same transaction, with the automatic messages to their clients.
    const jobEvents = await failJobsOfRetiredWorker(tx, agent.id);
    await appendEvents(tx, [
      ...jobEvents,
      ...deactivated.map((s): NewEvent => ({
        type: "service_deactivated",
        agentIds: [agent.id],
        subjectType: "service",
        subjectId: s.id,
        data: { service_id: s.id, agent_id: agent.id, reason: "agent_retired" },
      })),
      {
        type: "agent_retired",
        agentIds: [agent.id],
        subjectType: "agent",
        subjectId: agent.id,
        data: { name: row.name, previous_status: agent.status, services_deactivated: deactivated.map((s) => s.id) },
      },
    ]);
    return row as AgentRow;
  });
  // Someone retired it concurrently: answer with what is there now.
  if (!retired) return (await findAgent(await getDb(), agent.id)) ?? agent;
  return retired;
}
