import "server-only";
import { and, count, desc, eq, or, sql, type SQL } from "drizzle-orm";
import { getDb } from "@/db/client";
import { agents, executions } from "@/db/schema";
import { notFound } from "@/lib/api/errors";
import { decodeCursor, encodeCursor, type Page } from "@/lib/api/pagination";
import { actsForAgent } from "@/lib/auth/acting";
import { partyOf, type Principal } from "@/lib/auth/principal";
import { loadVisible } from "./executions";
import { readLogs, type LogRecord } from "./logs";
import { toExecutionRecord, type ExecutionRecord } from "./serialize";
import type { ExecutionStatus } from "./types";

// The paged reads of executions: an agent's executions, an execution's log lines.

export interface ListOptions {
  status?: ExecutionStatus;
  limit: number;
  cursor?: string;
}

/** An agent's executions, newest first. The owner sees all of them; anyone else only the ones they started. */
export async function listAgentExecutions(
  principal: Principal,
  agentId: string,
  opts: ListOptions,
): Promise<Page<ExecutionRecord>> {
  const db = await getDb();
  const [agent] = await db
    .select({ id: agents.id, name: agents.name, ownerUserId: agents.ownerUserId })
    .from(agents)
    .where(eq(agents.id, agentId))
    .limit(1);
  if (!agent) throw notFound("Agent");
  const filters: SQL[] = [eq(executions.agentId, agentId)];
  if (opts.status) filters.push(eq(executions.status, opts.status));
  if (!(await actsForAgent(db, principal, agentId, agent.ownerUserId))) {
    const party = partyOf(principal);
    filters.push(
      party.agentId
        ? eq(executions.startedByAgentId, party.agentId)
        : (or(
            eq(executions.startedByUserId, party.userId as string),
            sql`${executions.startedByAgentId} IN (SELECT id FROM agents WHERE owner_user_id = ${party.userId})`,
          ) as SQL),
    );
  }
  const [total] = await db
    .select({ n: count() })
    .from(executions)
    .where(and(...filters));
  if (opts.cursor) {
    const [ts, id] = decodeCursor(opts.cursor, 2);
    filters.push(sql`(${executions.startTime}, ${executions.id}) < (${String(ts)}::timestamptz, ${String(id)}::uuid)`);
  }
  const rows = await db
    .select({ row: executions, ts: sql<string>`${executions.startTime}::text` })
    .from(executions)
    .where(and(...filters))
    .orderBy(desc(executions.startTime), desc(executions.id))
    .limit(opts.limit + 1);
  const page = rows.slice(0, opts.limit);
  const last = page[page.length - 1];
  return {
    data: page.map((r) => toExecutionRecord(r.row, agent.name)),
    next_cursor: rows.length > opts.limit && last ? encodeCursor([last.ts, last.row.id]) : null,
    total: total?.n ?? 0,
  };
}

export async function listExecutionLogs(
  principal: Principal,
  id: string,
  opts: { limit: number; cursor?: string },
): Promise<Page<LogRecord>> {
  await loadVisible(principal, id);
  const after = opts.cursor ? Number(decodeCursor(opts.cursor, 1)[0]) : 0;
  const db = await getDb();
  const rows = await readLogs(db, id, Number.isFinite(after) ? after : 0, opts.limit + 1);
  const page = rows.slice(0, opts.limit);
  const last = page[page.length - 1];
  return { data: page, next_cursor: rows.length > opts.limit && last ? encodeCursor([last.id]) : null };
}
