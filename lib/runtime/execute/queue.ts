import "server-only";
import { sql } from "drizzle-orm";
import type PgBoss from "pg-boss";
import type { Tx } from "@/db/client";
import { sender, txDb } from "@/lib/deploy/controller/queue";

/**
 * The execution queue: pg-boss (the controller's, same schema) on the app's database. A job only says "try to
 * dispatch execution X"; the record is the truth, and a dispatch claims it with a conditional update, so a job
 * delivered twice (pg-boss is at least once) or for an execution already taken runs nothing twice.
 */

export const EXECUTE_QUEUE = "agent-execution";
export const CALLBACK_QUEUE = "execution-callback";
/** Wakes the workers when a job is due now (NOTIFY is delivered on commit). */
export const EXECUTE_WAKE_CHANNEL = "agent_executions";

export interface ExecuteJob {
  execution_id: string;
}
export interface CallbackJob {
  execution_id: string;
  attempt: number;
}

export async function ensureExecuteQueues(boss: PgBoss): Promise<void> {
  const existing = new Set((await boss.getQueues()).map((q) => q.name));
  // No pg-boss retries: a failed dispatch is taken back by the record's lease, a failed delivery by our schedule.
  const queues: PgBoss.Queue[] = [
    { name: EXECUTE_QUEUE, policy: "standard", retryLimit: 0, expireInSeconds: 3_600 },
    { name: CALLBACK_QUEUE, policy: "standard", retryLimit: 0, expireInSeconds: 300 },
  ];
  for (const q of queues) if (!existing.has(q.name)) await boss.createQueue(q.name, q);
}

/** Queues a dispatch inside the caller's transaction; higher priority is fetched first. */
export async function sendExecute(tx: Tx, executionId: string, priority: number, afterS = 0): Promise<void> {
  const data: ExecuteJob = { execution_id: executionId };
  await sender.send(EXECUTE_QUEUE, data, { db: txDb(tx), priority, ...(afterS > 0 ? { startAfter: afterS } : {}) });
  await tx.execute(sql`SELECT pg_notify(${EXECUTE_WAKE_CHANNEL}, ${afterS > 0 ? `after:${afterS}` : "now"})`);
}

/** Queues a callback delivery attempt inside the caller's transaction. */
export async function sendCallback(tx: Tx, executionId: string, attempt: number, afterS = 0): Promise<void> {
  const data: CallbackJob = { execution_id: executionId, attempt };
  await sender.send(CALLBACK_QUEUE, data, { db: txDb(tx), ...(afterS > 0 ? { startAfter: afterS } : {}) });
  await tx.execute(sql`SELECT pg_notify(${EXECUTE_WAKE_CHANNEL}, ${afterS > 0 ? `after:${afterS}` : "now"})`);
}
