import "server-only";
import { sql } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { sender, txDb } from "@/lib/deploy/controller/queue";
import { CALLBACK_QUEUE, EXECUTE_QUEUE, EXECUTE_WAKE_CHANNEL, type CallbackJob, type ExecuteJob } from "./queue-defs";

/**
 * The execution queue: pg-boss (the controller's, same schema) on the app's database. A job only says "try to
 * dispatch execution X"; the record is the truth, and a dispatch claims it with a conditional update, so a job
 * delivered twice (pg-boss is at least once) or for an execution already taken runs nothing twice. The queues'
 * names and definitions are in queue-defs.ts.
 */

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
