import "server-only";
import { and, count, eq, or, sql, type SQL } from "drizzle-orm";
import { getDb } from "@/db/client";
import { agents, executions } from "@/db/schema";
import { notFound } from "@/lib/api/errors";
import { keysetOrder, keysetPage, keysetWhere, readSeqCursor, timeSort, type Page } from "@/lib/api/pagination";
import { actsForAgent } from "@/lib/auth/acting";
import { partyOf, type Principal } from "@/lib/auth/principal";
import { ownedAgentIds } from "@/lib/market/agents";
import { loadVisible } from "./executions";
import { readLogs, type LogLineJson } from "./logs";
import { toExecutionRecord, type ExecutionJson } from "./serialize";
import type { ExecutionStatus } from "./types";

// The paged reads of executions: an agent's executions, the caller's own, an execution's log lines.

export interface ListOptions {
  status?: ExecutionStatus;
  limit: number;
  cursor?: string;
}

const executionSort = timeSort(executions.startTime, executions.id, "desc");

/** An agent's executions, newest first. The owner sees all of them; anyone else only the ones they started. */
export async function listAgentExecutions(
  principal: Principal,
  agentId: string,
  opts: ListOptions,
): Promise<Page<ExecutionJson>> {
  const db = await getDb();
  const [agent] = await db
    .select({ id: agents.id, ownerUserId: agents.ownerUserId })
    .from(agents)
    .where(eq(agents.id, agentId))
    .limit(1);
  if (!agent) throw notFound("Agent");
  const filters: SQL[] = [eq(executions.agentId, agentId)];
  if (opts.status) filters.push(eq(executions.status, opts.status));
  if (!(await actsForAgent(db, principal, agentId, agent.ownerUserId))) filters.push(startedByCaller(principal));
  return pageOf(filters, opts);
}

/** GET /api/executions: the executions the caller started (a person: also those their agents started). */
export async function listMyExecutions(principal: Principal, opts: ListOptions): Promise<Page<ExecutionJson>> {
  const filters: SQL[] = [startedByCaller(principal)];
  if (opts.status) filters.push(eq(executions.status, opts.status));
  return pageOf(filters, opts);
}

/** Started by the caller: an agent itself, or a person or one of the person's agents. */
function startedByCaller(principal: Principal): SQL {
  const party = partyOf(principal);
  return party.agentId
    ? eq(executions.startedByAgentId, party.agentId)
    : (or(
        eq(executions.startedByUserId, party.userId as string),
        sql`${executions.startedByAgentId} IN ${ownedAgentIds(party.userId as string)}`,
      ) as SQL);
}

/** One keyset page of the executions matching `filters`, newest first, with the total and the agents' names. */
async function pageOf(filters: SQL[], opts: ListOptions): Promise<Page<ExecutionJson>> {
  const db = await getDb();
  const [total] = await db
    .select({ n: count() })
    .from(executions)
    .where(and(...filters));
  const after = keysetWhere(executionSort, opts.cursor);
  const rows = await db
    .select({ row: executions, agentName: agents.name, startMicros: executionSort.key })
    .from(executions)
    .innerJoin(agents, eq(agents.id, executions.agentId))
    .where(and(...filters, ...(after ? [after] : [])))
    .orderBy(...keysetOrder(executionSort))
    .limit(opts.limit + 1);
  const { page, next } = keysetPage(rows, opts.limit, (last) => [last.startMicros, last.row.id]);
  return {
    data: page.map((r) => toExecutionRecord(r.row, r.agentName)),
    next_cursor: next,
    total: total?.n ?? 0,
  };
}

export async function listExecutionLogs(
  principal: Principal,
  id: string,
  opts: { limit: number; cursor?: string },
): Promise<Page<LogLineJson>> {
  await loadVisible(principal, id);
  const after = opts.cursor ? readSeqCursor(opts.cursor) : 0;
  const db = await getDb();
  const rows = await readLogs(db, id, after, opts.limit + 1);
  const { page, next } = keysetPage(rows, opts.limit, (last) => [last.id]);
  return { data: page, next_cursor: next };
}
