import "server-only";
import { sql } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { executions } from "@/db/schema";
import { appendEvents } from "@/lib/events/log";
import { jobRunStarted, lockJob } from "@/lib/market/job-auto";
import { executionEvent } from "../lifecycle";
import type { ExecutionRow } from "../types";

/**
 * Takes a queued execution for an attempt, when its deployment has a free slot (the live version's
 * `concurrent_executions`) and no due execution of the deployment is ahead of it (higher priority, or as high and
 * older). A transaction-scoped advisory lock per deployment makes concurrent claims count one at a time, so
 * dispatchers in any number of processes never overshoot the limit. Returns null when it must wait.
 */
export async function claimExecution(tx: Tx, id: string, leaseMarginS = 30): Promise<ExecutionRow | null> {
  const [target] = await tx
    .select({
      agentId: executions.agentId,
      environment: executions.environment,
      priority: executions.priority,
      queuedAt: executions.queuedAt,
      jobId: executions.jobId,
    })
    .from(executions)
    .where(sql`${executions.id} = ${id} AND ${executions.status} = 'queued'`)
    .limit(1);
  if (!target?.environment || !target.queuedAt) return null;
  // Values, not column references: inside the subqueries an unqualified column would name the subquery's row.
  const queuedAt = target.queuedAt.toISOString();
  // A job's execution: the job's row first, in the order a cancel of the job takes them (no deadlock).
  if (target.jobId) await lockJob(tx, target.jobId);
  await tx.execute(sql`SELECT pg_advisory_xact_lock(hashtext(${`execute:${target.agentId}:${target.environment}`}))`);
  const same = sql`q.agent_id = ${target.agentId} AND q.environment = ${target.environment} AND q.host = 'deployed'`;
  const [row] = await tx
    .update(executions)
    .set({
      status: "running",
      attempt: sql`${executions.attempt} + 1`,
      startTime: sql`CASE WHEN ${executions.attempt} = 0 THEN now() ELSE ${executions.startTime} END`,
      queueTimeMs: sql`COALESCE(${executions.queueTimeMs}, (extract(epoch FROM now() - ${executions.queuedAt}) * 1000)::int)`,
      leaseUntil: sql`${executions.queuedAt} + (${executions.timeoutS} + ${leaseMarginS}) * interval '1 second'`,
      updatedAt: sql`now()`,
    })
    .where(
      sql`${executions.id} = ${id} AND ${executions.status} = 'queued' AND ${executions.dueAt} <= now()
        AND (SELECT count(*) FROM executions q WHERE ${same} AND q.status = 'running') < (
          SELECT COALESCE((v.configuration->>'concurrent_executions')::int, 10)
          FROM agent_routes r LEFT JOIN agent_versions v ON v.id = r.live_version_id
          WHERE r.agent_id = ${target.agentId} AND r.environment = ${target.environment})
        AND NOT EXISTS (SELECT 1 FROM executions q WHERE ${same} AND q.status = 'queued' AND q.due_at <= now()
          AND q.id <> ${id}
          AND (q.priority > ${target.priority}
            OR (q.priority = ${target.priority} AND q.queued_at < ${queuedAt}::timestamptz)))`,
    )
    .returning();
  if (!row) return null;
  // The first attempt starts the job it fulfils, if any (lib/market/job-auto.ts), in this transaction.
  if (row.attempt === 1) await appendEvents(tx, [...(await jobRunStarted(tx, row)), executionEvent(row)]);
  return row;
}

/**
 * A queue job whose execution must wait its turn (something due is ahead of it) hands its dispatch to the
 * deployment's next due execution instead of dropping it: every job then starts one execution while slots are
 * free, in priority order. Dropped, only each finished attempt would start the next, and the deployment would run
 * one execution at a time whenever the queue's jobs arrive out of the executions' order.
 */
export async function claimNextOf(tx: Tx, id: string): Promise<ExecutionRow | null> {
  const [target] = await tx
    .select({ agentId: executions.agentId, environment: executions.environment })
    .from(executions)
    .where(sql`${executions.id} = ${id}`);
  if (!target?.environment) return null;
  const next = await nextQueued(tx, target.agentId, target.environment);
  return next && next.id !== id ? claimExecution(tx, next.id) : null;
}

/** The next due execution of a deployment (by priority, then age): the one to dispatch when a slot frees. */
export async function nextQueued(
  tx: Tx,
  agentId: string,
  environment: string,
): Promise<{ id: string; priority: number } | null> {
  const [next] = await tx
    .select({ id: executions.id, priority: executions.priority })
    .from(executions)
    .where(
      sql`${executions.agentId} = ${agentId} AND ${executions.environment} = ${environment}
        AND ${executions.status} = 'queued' AND ${executions.dueAt} <= now()`,
    )
    .orderBy(sql`${executions.priority} DESC, ${executions.queuedAt} ASC`)
    .limit(1);
  return next ?? null;
}
