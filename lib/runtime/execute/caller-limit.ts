import "server-only";
import { and, count, eq, inArray, sql } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { executions } from "@/db/schema";
import { tooManyRequests } from "@/lib/api/errors";
import { env } from "@/lib/env";

const UNFINISHED = ["queued", "starting", "running"] as const;

/**
 * The per-caller limit of POST /api/agents/{id}/execute: at most EXECUTE_MAX_PENDING_PER_CALLER unfinished
 * executions per caller (agent or person), so that one caller cannot fill every deployment's queue. Called in the
 * inserting transaction; the caller's advisory lock makes concurrent requests count one after another, so the
 * limit holds under a burst (one wins the last slot).
 */
export async function checkCallerPending(tx: Tx, party: { agentId: string | null; userId: string | null }) {
  const who = party.agentId ? `agent:${party.agentId}` : `user:${party.userId}`;
  await tx.execute(sql`SELECT pg_advisory_xact_lock(hashtext(${`execute-pending:${who}`}))`);
  const [row] = await tx
    .select({ n: count() })
    .from(executions)
    .where(
      and(
        party.agentId ? eq(executions.startedByAgentId, party.agentId) : eq(executions.startedByUserId, party.userId!),
        inArray(executions.status, [...UNFINISHED]),
      ),
    );
  const limit = env().EXECUTE_MAX_PENDING_PER_CALLER;
  if ((row?.n ?? 0) >= limit) {
    throw tooManyRequests(`At most ${limit} unfinished executions per caller: wait for some to end`, 5, {
      limit,
      unfinished: row?.n ?? 0,
    });
  }
}
