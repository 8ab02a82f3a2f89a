import "server-only";
import { and, eq, inArray, isNull, sql } from "drizzle-orm";
import { getDb, type Tx } from "@/db/client";
import { executions } from "@/db/schema";
import { inTransaction } from "@/lib/db";
import { appendEvent, appendEvents, type NewEvent } from "@/lib/events/log";
import { settleRun } from "@/lib/ledger/usage-hooks";
import { jobRunEnded } from "@/lib/market/job-auto";
import { insertLogs } from "./logs";
import { statusSnapshot } from "./serialize";
import { isTerminal, type ExecutionRow, type ExecutionStatus, type Observation } from "./types";

/** Which statuses a change may come from: the conditional update that makes racing changes have one winner. */
// Deployed executions (queued, timeout) change through lib/runtime/execute/finish.ts, not here.
const ALLOWED_FROM: Record<ExecutionStatus, readonly ExecutionStatus[]> = {
  queued: [],
  timeout: [],
  starting: [],
  running: ["starting"],
  completed: ["starting", "running"],
  failed: ["starting", "running"],
  stopped: ["queued", "starting", "running"],
};

/**
 * Event types: execution_started, execution_running, execution_completed, execution_failed, execution_stopped, and
 * for deployed executions execution_queued and execution_timeout.
 */
export function eventTypeOf(status: ExecutionStatus): string {
  return status === "starting" ? "execution_started" : `execution_${status}`;
}

export async function appendExecutionEvent(tx: Tx, row: ExecutionRow): Promise<void> {
  await appendEvent(tx, executionEvent(row));
}

/** The event of an execution's status change, for a caller that appends it with others (last in its transaction). */
export function executionEvent(row: ExecutionRow): NewEvent {
  return {
    type: eventTypeOf(row.status),
    agentIds: [row.agentId, row.startedByAgentId],
    userIds: [row.startedByUserId],
    subjectType: "execution",
    subjectId: row.id,
    data: statusSnapshot(row),
  };
}

/**
 * Moves an execution to `obs.status` if it is still in a status that may change to it, with its event, in
 * one transaction. Returns the updated row, or null when another change won (e.g. a stop beat the exit).
 */
export async function transition(id: string, obs: Observation): Promise<ExecutionRow | null> {
  const from = ALLOWED_FROM[obs.status];
  if (from.length === 0) return null;
  return inTransaction(async (tx) => {
    const terminal = isTerminal(obs.status);
    const [row] = await tx
      .update(executions)
      .set({
        status: obs.status,
        ...(obs.endpoint !== undefined ? { endpoint: obs.endpoint } : {}),
        ...(obs.exitCode !== undefined ? { exitCode: obs.exitCode } : {}),
        ...(obs.stopCode !== undefined ? { stopCode: obs.stopCode } : {}),
        ...(obs.stoppedReason !== undefined ? { stoppedReason: obs.stoppedReason } : {}),
        ...(obs.hostState
          ? { hostState: sql`${executions.hostState} || ${JSON.stringify(obs.hostState)}::jsonb` }
          : {}),
        ...(terminal ? { endTime: sql`now()`, endpoint: null } : {}),
        updatedAt: sql`now()`,
      })
      .where(and(eq(executions.id, id), inArray(executions.status, [...from])))
      .returning();
    if (!row) return null;
    if (obs.log) await insertLogs(tx, id, [{ stream: "system", line: obs.log }]);
    // A paid run is charged if it completed, its hold released otherwise (lib/ledger/usage.ts); a job's execution
    // that ends here (stopped) fails the job and refunds it. All in this transaction.
    const settled = terminal ? await settleRun(tx, row) : [];
    const jobEvents = terminal && row.jobId ? await jobRunEnded(tx, row) : [];
    await appendEvents(tx, [...settled, ...jobEvents, executionEvent(row)]);
    return row;
  });
}

/**
 * Applies what a host observed. Status changes go through `transition`; details that arrive after the record
 * is already final (the exit code of a process we stopped) are filled in without a new event.
 */
export async function applyObservation(id: string, obs: Observation): Promise<ExecutionRow | null> {
  if (obs.status === "starting") {
    if (obs.hostState || obs.log) await patchHostState(id, obs.hostState ?? {}, obs.log);
    return null;
  }
  const changed = await transition(id, obs);
  if (changed) return changed;
  if (isTerminal(obs.status) && obs.exitCode !== undefined && obs.exitCode !== null) {
    const db = await getDb();
    const filled = await db
      .update(executions)
      .set({ exitCode: obs.exitCode, updatedAt: sql`now()` })
      .where(and(eq(executions.id, id), isNull(executions.exitCode), inArray(executions.status, ["stopped", "failed"])))
      .returning({ id: executions.id });
    // Only the writer that filled the exit code logs it: a racing refresh that recorded the same exit already did.
    if (filled.length > 0 && obs.log) await insertLogs(db, id, [{ stream: "system", line: obs.log }]);
  }
  return null;
}

/** Records host bookkeeping (pid, port, task ARN) without a status change. */
export async function patchHostState(
  id: string,
  hostState: Record<string, unknown>,
  log?: string,
  taskArn?: string | null,
): Promise<void> {
  await inTransaction(async (tx) => {
    await tx
      .update(executions)
      .set({
        hostState: sql`${executions.hostState} || ${JSON.stringify(hostState)}::jsonb`,
        ...(taskArn !== undefined ? { taskArn } : {}),
        updatedAt: sql`now()`,
      })
      .where(eq(executions.id, id));
    if (log) await insertLogs(tx, id, [{ stream: "system", line: log }]);
  });
}
