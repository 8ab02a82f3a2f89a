import "server-only";
import { and, eq, sql } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { executions } from "@/db/schema";
import type { ExecutionAttempt } from "@/db/schema/executions";
import { inTransaction } from "@/lib/db";
import { appendEvents } from "@/lib/events/log";
import { settleRun } from "@/lib/ledger/usage-hooks";
import { jobRunEnded } from "@/lib/market/job-auto";
import { executionEvent } from "../lifecycle";
import { insertLogs, type LogLine } from "../logs";
import type { ExecutionRow } from "../types";
import { deadlineOf, type AttemptOutcome } from "./attempt";
import { nextQueued } from "./claim";
import { sendCallback, sendExecute } from "./queue";
import { notifyEnded } from "./waiters";

const DEFAULT_RETRY = { max_retries: 3, retry_delay: 1, backoff_multiplier: 2 };

/** Seconds before retry number `attempt` (1 = the first retry): retry_delay x backoff_multiplier^(attempt-1). */
export function retryDelayS(row: Pick<ExecutionRow, "retryConfig">, attempt: number): number {
  const c = row.retryConfig ?? DEFAULT_RETRY;
  return c.retry_delay * c.backoff_multiplier ** (attempt - 1);
}

function mayRetry(row: ExecutionRow, outcome: AttemptOutcome, delayS: number): boolean {
  if (outcome.kind !== "failed" || !outcome.transient) return false;
  const retries = (row.retryConfig ?? DEFAULT_RETRY).max_retries;
  return row.attempt <= retries && Date.now() + delayS * 1000 < deadlineOf(row);
}

/** A freed slot goes to the deployment's next due execution (in the same transaction as the freeing). */
async function dispatchNext(tx: Tx, row: ExecutionRow): Promise<void> {
  const next = await nextQueued(tx, row.agentId, row.environment ?? "prod");
  if (next) await sendExecute(tx, next.id, next.priority);
}

/**
 * Writes an attempt's outcome, if the attempt still holds the execution (a stop or a lease takeover may have
 * ended it): back to `queued` with a backoff for a transient failure with retries left, else final with its
 * result, its event, and the callback's first delivery queued. Returns the updated row, or null.
 */
export async function finishAttempt(
  row: ExecutionRow,
  outcome: AttemptOutcome,
  startedAt: Date,
): Promise<ExecutionRow | null> {
  const delayS = retryDelayS(row, row.attempt);
  const retry = mayRetry(row, outcome, delayS);
  const error = outcome.kind === "completed" ? null : outcome.error;
  const entry: ExecutionAttempt = {
    attempt: row.attempt,
    started_at: startedAt.toISOString(),
    ended_at: new Date().toISOString(),
    version: outcome.version,
    outcome: retry ? "retry" : outcome.kind,
    error: error ? `${error.code}: ${error.message}` : null,
  };
  const lines: LogLine[] = [];
  if (outcome.kind === "completed") for (const l of outcome.logs) lines.push({ stream: "stdout", line: l });
  lines.push({
    stream: "system",
    line: retry
      ? `attempt ${row.attempt} failed (${entry.error}); retry in ${delayS} s`
      : `attempt ${row.attempt} ${outcome.kind}${outcome.version ? ` on version ${outcome.version}` : ""}${entry.error ? `: ${entry.error}` : ""}`,
  });
  const ended = await inTransaction(async (tx) => {
    const common = {
      attempts: sql`${executions.attempts} || ${JSON.stringify([entry])}::jsonb`,
      leaseUntil: null,
      updatedAt: sql`now()`,
      ...(outcome.version ? { version: outcome.version } : {}),
    };
    const [updated] = await tx
      .update(executions)
      .set(
        retry
          ? { ...common, status: "queued", dueAt: sql`now() + ${delayS} * interval '1 second'` }
          : {
              ...common,
              status: outcome.kind,
              endTime: sql`now()`,
              error,
              ...(outcome.kind === "completed" ? { output: outcome.output, usage: outcome.usage, progress: 100 } : {}),
              ...(row.callbackUrl ? { callbackStatus: "pending" as const } : {}),
            },
      )
      .where(and(eq(executions.id, row.id), eq(executions.status, "running"), eq(executions.attempt, row.attempt)))
      .returning();
    if (!updated) return null;
    await insertLogs(tx, row.id, lines);
    if (retry) await sendExecute(tx, row.id, row.priority, delayS);
    else if (row.callbackUrl) await sendCallback(tx, row.id, 1);
    await dispatchNext(tx, updated);
    // The end of a job's execution delivers or fails the job (lib/market/job-auto.ts), in this transaction.
    const jobEvents = retry ? [] : await jobRunEnded(tx, updated);
    // A paid run is charged if it completed, its hold released otherwise (lib/ledger/usage.ts), in this transaction.
    const chargeEvents = retry ? [] : await settleRun(tx, updated);
    await appendEvents(tx, [...jobEvents, ...chargeEvents, executionEvent(updated)]);
    return updated;
  });
  if (!ended) {
    // Stopped meanwhile: its slot is free all the same.
    await inTransaction((tx) => dispatchNext(tx, row));
    notifyEnded(row.id);
  } else if (!retry) notifyEnded(row.id);
  return ended;
}
