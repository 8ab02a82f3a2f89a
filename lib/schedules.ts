import "server-only";
import type PgBoss from "pg-boss";
import { getDatabase, type Database } from "@/db/client";
import { sweepIdempotencyKeys } from "@/lib/api/idempotency";
import { startBoss } from "@/lib/deploy/controller/queue";
import { pruneEvents } from "@/lib/events/retention";
import { log } from "@/lib/log";
import { processSingleton } from "@/lib/process-singleton";
import { autoAcceptDeliveredJobs } from "@/lib/market/job-auto-accept";
import { SWEEPS, type SweepName } from "@/lib/schedule-queues";

/**
 * The platform's periodic sweeps, as pg-boss cron schedules on the app's database (the queue the deployment
 * controller uses, lib/deploy/controller/queue.ts, whose installQueue creates their queues: lib/schedule-queues.ts):
 * every app process may run this, pg-boss sends each scheduled job once per tick across processes, and a `stately`
 * queue runs at most one of each sweep at a time. Each sweep is correct run twice or concurrently anyway
 * (conditional updates); the schedule only decides how soon.
 */
export const SCHEDULES: Readonly<Record<SweepName, () => Promise<unknown>>> = {
  "jobs-auto-accept": () => autoAcceptDeliveredJobs(),
  "idempotency-sweep": () => sweepIdempotencyKeys(),
  "events-retention": () => pruneEvents(),
};

/** Starts a pg-boss with cron on, schedules the sweeps (their queues are installed) and works them. */
export async function startSchedules(database?: Database): Promise<PgBoss> {
  const db = database ?? (await getDatabase());
  const boss = await startBoss(db, { schedule: true }, (err) => log().error({ err }, "schedules: queue error"));
  for (const [name, run] of Object.entries(SCHEDULES)) {
    await boss.schedule(name, SWEEPS[name as SweepName]);
    await boss.work(name, async () => {
      const result = await run();
      log().debug({ sweep: name, result }, "schedules: sweep done");
    });
  }
  return boss;
}

// One per process, kept across hot reloads.
const schedules = processSingleton("__schedules", startSchedules);

/** Starts this process's schedules once (instrumentation.ts at app start). */
export function startSchedulesOnce(): Promise<PgBoss> {
  return schedules.start();
}
