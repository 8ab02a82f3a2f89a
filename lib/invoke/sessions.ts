import "server-only";
import type { z } from "zod";
import { and, eq, or, sql, type SQL } from "drizzle-orm";
import type { Queryable, Tx } from "@/db/client";
import { agentSessions, invocationTexts, invocations } from "@/db/schema";
import { keysetOrder, keysetPage, keysetWhere, timeSort, type Page } from "@/lib/api/pagination";
import type { sessionDetail, sessionView } from "@/lib/api/contracts/invoke";
import type { PartyRef } from "@/lib/auth/principal";
import { generateSessionId } from "@/lib/invoke/transports/session-id";
import { invokeClientError } from "./errors";
import { configKeyOf } from "./targets";

/**
 * Conversations with invocable agents (`agent_sessions`). A session id belongs to the caller who started it and
 * to one target. Continuing someone else's session answers 404, exactly as for an id that does not exist, so
 * that session ids cannot be probed.
 */

type Row = typeof agentSessions.$inferSelect;

/** A session as the API shows it (sessionView), and with its invocations (sessionDetail). */
export type SessionJson = z.infer<typeof sessionView>;
export type SessionDetailJson = z.infer<typeof sessionDetail>;

function view(r: Row): SessionJson {
  return {
    session_id: r.sessionId,
    target: r.target,
    agent_id: r.agentId,
    title: r.title,
    invocation_count: r.invocationCount,
    created_at: r.createdAt.toISOString(),
    last_used_at: r.lastUsedAt.toISOString(),
  };
}

const sameCaller = (r: Pick<Row, "callerAgentId" | "callerUserId">, caller: PartyRef) =>
  (caller.agentId !== null && r.callerAgentId === caller.agentId) ||
  (caller.userId !== null && r.callerUserId === caller.userId);

/** The first line of the first prompt, shortened: a label for the caller's own session list. */
export function titleOf(prompt: string): string {
  const line = prompt.trim().split(/\r?\n/, 1)[0] ?? "";
  return line.length > 80 ? `${line.slice(0, 79)}…` : line;
}

export interface ClaimInput {
  sessionId?: string;
  target: string;
  agentId: string | null;
  /** The public `agentId` of the request, for error details. */
  requestedAgentId: string;
  caller: PartyRef;
  title: string;
}

/**
 * The session an invocation runs in: the caller's existing one (same target), or a new one recorded now under
 * the given id (or a generated one). Insert-or-read is one statement, so two callers racing for the same new id
 * cannot both own it.
 */
export async function claimSession(db: Queryable, input: ClaimInput): Promise<{ sessionId: string; created: boolean }> {
  const sessionId = input.sessionId ?? generateSessionId();
  const inserted = await db
    .insert(agentSessions)
    .values({
      sessionId,
      target: input.target,
      agentId: input.agentId,
      callerAgentId: input.caller.agentId,
      callerUserId: input.caller.userId,
      title: input.title,
    })
    .onConflictDoNothing({ target: agentSessions.sessionId })
    .returning({ id: agentSessions.id });
  if (inserted.length) return { sessionId, created: true };
  const [row] = await db.select().from(agentSessions).where(eq(agentSessions.sessionId, sessionId)).limit(1);
  const ctx = { agentId: input.requestedAgentId, sessionId };
  if (!row || !sameCaller(row, input.caller)) throw invokeClientError(404, "NotFoundError", "Session not found", ctx);
  if (row.target !== input.target) {
    throw invokeClientError(409, "ConflictError", "This session belongs to another agent", ctx);
  }
  return { sessionId, created: false };
}

export interface InvocationRecord {
  sessionId: string;
  target: string;
  transport: "ws" | "http";
  outcome: string;
  chunks: number;
  durationMs: number;
  firstChunkMs: number | null;
  /** Whether the agent answered (the invocation counts in its session). */
  answered: boolean;
  /** The words of the invocation, kept for the session's caller only (never in the event log). */
  prompt: string;
  answer: string;
}

/** Longer answers are stored cut to this many characters (the transcript says so). */
export const MAX_STORED_ANSWER_CHARS = 200_000;

/**
 * Counts the invocation in its session (column `invocation_count`), stores the metrics row and the invocation's
 * words, in one statement inside the caller's transaction.
 */
export async function recordInvocation(tx: Tx, r: InvocationRecord): Promise<void> {
  await tx.execute(sql`
    WITH touched AS (
      UPDATE ${agentSessions}
      SET invocation_count = invocation_count + ${r.answered ? 1 : 0}, last_used_at = now()
      WHERE session_id = ${r.sessionId}
    ), inv AS (
      INSERT INTO ${invocations} (session_id, target, transport, outcome, chunks, duration_ms, first_chunk_ms)
      VALUES (${r.sessionId}, ${r.target}, ${r.transport}, ${r.outcome}, ${r.chunks}, ${r.durationMs}, ${r.firstChunkMs})
      RETURNING id
    )
    INSERT INTO ${invocationTexts} (invocation_id, prompt, answer)
    SELECT id, ${r.prompt}, ${r.answer.slice(0, MAX_STORED_ANSWER_CHARS)} FROM inv`);
}

function callerFilter(caller: PartyRef): SQL {
  return caller.agentId !== null
    ? eq(agentSessions.callerAgentId, caller.agentId)
    : eq(agentSessions.callerUserId, caller.userId as string);
}

/** `?agent_id=` as the invoke request spells it: a configured key, a marketplace agent or an execution id. */
function agentFilter(agentId: string): SQL {
  const key = configKeyOf(agentId);
  if (key) return eq(agentSessions.target, `config:${key}`);
  return or(eq(agentSessions.target, `agent:${agentId}`), eq(agentSessions.target, `execution:${agentId}`)) as SQL;
}

/** Most recently used first. */
const sessionSort = timeSort(agentSessions.lastUsedAt, agentSessions.id, "desc");

/** The caller's sessions, most recently used first (keyset on last_used_at, id). */
export async function listSessions(
  db: Queryable,
  caller: PartyRef,
  q: { agentId?: string; limit: number; cursor?: string },
): Promise<Page<SessionJson>> {
  const where: SQL[] = [callerFilter(caller)];
  if (q.agentId) where.push(agentFilter(q.agentId));
  const after = keysetWhere(sessionSort, q.cursor);
  if (after) where.push(after);
  const rows = await db
    .select({ row: agentSessions, usedMicros: sessionSort.key })
    .from(agentSessions)
    .where(and(...where))
    .orderBy(...keysetOrder(sessionSort))
    .limit(q.limit + 1);
  const { page, next } = keysetPage(rows, q.limit, (last) => [last.usedMicros, last.row.id]);
  return {
    data: page.map((r) => view(r.row)),
    next_cursor: next,
  };
}

/**
 * One of the caller's sessions with its invocations: metrics, prompt and answer (null for invocations stored before
 * their words were).
 */
export async function getSession(
  db: Queryable,
  caller: PartyRef,
  sessionId: string,
): Promise<SessionDetailJson | null> {
  const [row] = await db
    .select()
    .from(agentSessions)
    .where(and(eq(agentSessions.sessionId, sessionId), callerFilter(caller)))
    .limit(1);
  if (!row) return null;
  const rows = await db
    .select({ inv: invocations, words: invocationTexts })
    .from(invocations)
    .leftJoin(invocationTexts, eq(invocationTexts.invocationId, invocations.id))
    .where(eq(invocations.sessionId, sessionId))
    .orderBy(invocations.id)
    .limit(500);
  return {
    ...view(row),
    invocations: rows.map(({ inv, words }) => ({
      outcome: inv.outcome,
      transport: inv.transport,
      chunks: inv.chunks,
      duration_ms: inv.durationMs,
      first_chunk_ms: inv.firstChunkMs,
      created_at: inv.createdAt.toISOString(),
      prompt: words?.prompt ?? null,
      answer: words?.answer ?? null,
    })),
  };
}
