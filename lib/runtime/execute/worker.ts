import "server-only";
import { and, eq, lt, lte, sql } from "drizzle-orm";
import type PgBoss from "pg-boss";
import { getDatabase, getDb, type Database } from "@/db/client";
import { executions } from "@/db/schema";
import { startBoss, stopBoss, Wakeups } from "@/lib/deploy/controller/queue";
import { inTransaction } from "@/lib/db";
import { env } from "@/lib/env";
import { listen } from "@/lib/events/listen";
import { log } from "@/lib/log";
import { processSingleton } from "@/lib/process-singleton";
import { callbackConfigFromEnv, deliverCallback, type CallbackConfig } from "./callback";
import { claimExecution, claimNextOf } from "./claim";
import { runClaimed } from "./dispatch";
import { finishAttempt } from "./finish";
import {
  CALLBACK_QUEUE,
  EXECUTE_QUEUE,
  EXECUTE_WAKE_CHANNEL,
  ensureExecuteQueues,
  type CallbackJob,
  type ExecuteJob,
} from "./queue-defs";

export interface ExecutionWorkerOptions {
  /** Attempts this process runs at once (EXECUTE_WORKER_CONCURRENCY). */
  concurrency?: number;
  pollingIntervalSeconds?: number;
  callbacks?: Partial<CallbackConfig>;
  /** How often running executions past their lease are looked for (their worker died). */
  sweepMs?: number;
  supervise?: boolean;
}

/**
 * Takes executions off the queue: a job is claimed (lib/runtime/execute/claim.ts) and its attempt runs in the
 * background, so a long execution does not hold pg-boss's fetch; at most `concurrency` run here at once. Also
 * delivers callbacks. On start it queues every due execution again (a claim makes duplicates harmless) and ends
 * those whose worker died; on stop it takes no more work and lets the running attempts finish.
 */
export class ExecutionWorker {
  private boss: PgBoss | undefined;
  private workers: string[] = [];
  private readonly running = new Set<Promise<unknown>>();
  private readonly wakeups = new Wakeups(() => this.boss);
  private slotFreed: (() => void) | undefined;
  private unlisten: (() => Promise<void>) | undefined;
  private readonly concurrency: number;
  private readonly callbacks: CallbackConfig;

  constructor(private readonly opts: ExecutionWorkerOptions = {}) {
    this.concurrency = opts.concurrency ?? env().EXECUTE_WORKER_CONCURRENCY;
    this.callbacks = { ...callbackConfigFromEnv(), ...opts.callbacks };
  }

  async start(database?: Database): Promise<this> {
    const db = database ?? (await getDatabase());
    const boss = await startBoss(db, { supervise: this.opts.supervise ?? true }, (err) =>
      log().warn({ err }, "execution queue error"),
    );
    await ensureExecuteQueues(boss);
    this.boss = boss;
    const polling = { pollingIntervalSeconds: this.opts.pollingIntervalSeconds ?? 0.5 };
    this.workers.push(
      await boss.work<ExecuteJob>(EXECUTE_QUEUE, { ...polling, batchSize: 16 }, (jobs) => this.take(jobs)),
      await boss.work<CallbackJob>(CALLBACK_QUEUE, { ...polling, batchSize: 8 }, (jobs) => this.deliver(jobs)),
    );
    this.unlisten = await listen(db, EXECUTE_WAKE_CHANNEL, {
      onNotify: (payload) => this.wakeIn(payload?.startsWith("after:") ? Number(payload.slice(6)) * 1000 : 0),
    });
    await this.resume();
    this.wakeups.every(this.opts.sweepMs ?? 30_000, () => void this.sweepLost().catch(() => {}));
    return this;
  }

  private async take(jobs: PgBoss.Job<ExecuteJob>[]): Promise<void> {
    for (const job of jobs) {
      while (this.running.size >= this.concurrency) await new Promise<void>((r) => (this.slotFreed = r));
      // Its own execution, else the one ahead of it (two transactions: each locks at most one job's row).
      const id = job.data.execution_id;
      const row =
        (await inTransaction((tx) => claimExecution(tx, id))) ?? (await inTransaction((tx) => claimNextOf(tx, id)));
      if (!row) continue;
      const run = runClaimed(row)
        .catch((err: unknown) => log().error({ err, execution: row.id }, "execution attempt failed"))
        .finally(() => {
          this.running.delete(run);
          this.slotFreed?.();
          this.slotFreed = undefined;
        });
      this.running.add(run);
    }
  }

  private async deliver(jobs: PgBoss.Job<CallbackJob>[]): Promise<void> {
    await Promise.all(
      jobs.map(async (j) => {
        const next = await deliverCallback(j.data.execution_id, j.data.attempt, this.callbacks).catch(
          (err: unknown) => {
            log().warn({ err, execution: j.data.execution_id }, "callback delivery failed");
            return null;
          },
        );
        if (next !== null) this.wakeIn(next * 1000);
      }),
    );
  }

  private wakeIn(ms: number): void {
    this.wakeups.in(ms, this.workers);
  }

  /** Every due queued execution gets a job again; pending callbacks their next attempt; lost ones end. */
  private async resume(): Promise<void> {
    const db = await getDb();
    const queued = await db
      .select({ id: executions.id, priority: executions.priority })
      .from(executions)
      .where(and(eq(executions.host, "deployed"), eq(executions.status, "queued"), lte(executions.dueAt, sql`now()`)));
    const pending = await db
      .select({ id: executions.id, n: sql<number>`jsonb_array_length(${executions.callbacks})` })
      .from(executions)
      .where(eq(executions.callbackStatus, "pending"));
    const jobs = [
      ...queued.map((q) => ({ name: EXECUTE_QUEUE, data: { execution_id: q.id }, priority: q.priority })),
      ...pending.map((p) => ({ name: CALLBACK_QUEUE, data: { execution_id: p.id, attempt: Number(p.n) + 1 } })),
    ];
    if (jobs.length) await this.boss?.insert(jobs);
    await this.sweepLost();
    this.wakeIn(0);
  }

  /** Running executions past their lease lost their worker (a crash): they end as timed out, with the reason. */
  private async sweepLost(): Promise<void> {
    const db = await getDb();
    const lost = await db
      .select()
      .from(executions)
      .where(
        and(eq(executions.host, "deployed"), eq(executions.status, "running"), lt(executions.leaseUntil, sql`now()`)),
      );
    for (const row of lost) {
      const error = { code: "Timeout", message: "The execution's worker stopped before it ended", details: {} };
      await finishAttempt(row, { kind: "timeout", version: null, error }, row.updatedAt);
    }
  }

  /** Takes no more work, lets the running attempts finish. */
  async stop(): Promise<void> {
    this.wakeups.clear();
    await this.unlisten?.();
    await stopBoss(this.boss);
    this.boss = undefined;
    await Promise.allSettled([...this.running]);
  }
}

const worker = processSingleton("__executionWorker", (opts?: ExecutionWorkerOptions) =>
  new ExecutionWorker(opts).start(),
);

/** This process's worker (once; instrumentation.ts at app start). */
export const startExecutionWorker: (opts?: ExecutionWorkerOptions) => Promise<ExecutionWorker> = worker.start;

export const stopExecutionWorker: () => Promise<void> = worker.stop;
