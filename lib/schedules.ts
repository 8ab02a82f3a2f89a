import "server-only";
import type PgBoss from "pg-boss";
import { getDatabase, type Database } from "@/db/client";
import { sweepIdempotencyKeys } from "@/lib/api/idempotency";
import { startBoss } from "@/lib/deploy/controller/queue";
import { pruneEvents } from "@/lib/events/retention";
import { log } from "@/lib/log";
import { processSingleton } from "@/lib/process-singleton";
import { autoAcceptDeliveredJobs } from "@/lib/market/job-auto-accept";

/**
 * The platform's periodic sweeps, as pg-boss cron schedules on the app's database (the queue the deployment
 * controller uses, lib/deploy/controller/queue.ts): every app process may run this, pg-boss sends each scheduled
 * job once per tick across processes, and a `stately` queue runs at most one of each sweep at a time. Each sweep is
 * correct run twice or concurrently anyway (conditional updates); the schedule only decides how soon.
 */
export const SCHEDULES: readonly { name: string; cron: string; run: () => Promise<unknown> }[] = [
  // Delivered jobs past AUTO_ACCEPT_AFTER_HOURS complete and pay the worker (docs/jobs.md).
  { name: "jobs-auto-accept", cron: "* * * * *", run: () => autoAcceptDeliveredJobs() },
  // Idempotency keys past their 24 hours (docs/idempotency.md).
  { name: "idempotency-sweep", cron: "7 * * * *", run: () => sweepIdempotencyKeys() },
  // The event log past EVENTS_RETENTION_DAYS / EVENTS_RETENTION_MAX_ROWS, in batches (docs/events.md, Retention).
  { name: "events-retention", cron: "17 * * * *", run: () => pruneEvents() },
];

/** Starts a pg-boss with cron on, makes the sweeps' queues and schedules, and works them. */
export async function startSchedules(database?: Database): Promise<PgBoss> {
  const db = database ?? (await getDatabase());
  const boss = await startBoss(db, { schedule: true }, (err) => log().error({ err }, "schedules: queue error"));
  for (const s of SCHEDULES) {
    await createQueueOnce(boss, s.name);
    await boss.schedule(s.name, s.cron);
    await boss.work(s.name, async () => {
      const result = await s.run();
      log().debug({ sweep: s.name, result }, "schedules: sweep done");
    });
  }
  return boss;
}

/**
 * Creates a sweep's queue unless it exists. pg-boss makes each queue a partition of its job table: two processes
 * starting side by side, creating different queues at once, can deadlock on that table (the test with two app
 * processes, test/two-process, hit it). The loser retries and finds its queue made, or makes it.
 */
async function createQueueOnce(boss: PgBoss, name: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    if (await boss.getQueue(name)) return;
    try {
      await boss.createQueue(name, { name, policy: "stately", expireInSeconds: 300, retryLimit: 0 });
      return;
    } catch (err) {
      if ((err as { code?: string }).code !== "40P01" || attempt >= 5) throw err;
      await new Promise((r) => setTimeout(r, 50 * attempt + Math.random() * 100));
    }
  }
}

// One per process, kept across hot reloads.
const schedules = processSingleton("__schedules", startSchedules);

/** Starts this process's schedules once (instrumentation.ts at app start). */
export function startSchedulesOnce(): Promise<PgBoss> {
  return schedules.start();
}
