import type PgBoss from "pg-boss";

/**
 * The execution queues' names and definitions, apart from the sending (queue.ts) so that the controller's
 * installQueue (lib/deploy/controller/queue.ts) can create them without an import cycle: pg-boss 10 refuses to
 * send to a queue that does not exist, so any process that may enqueue needs them created, not only the worker.
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
