import type PgBoss from "pg-boss";

/**
 * The periodic sweeps' queues and when they run, apart from the sweeps themselves (lib/schedules.ts) so that
 * installQueue (lib/deploy/controller/queue.ts) creates them with every other queue of the app, once, before any
 * process starts its bosses. `stately`: at most one of each sweep runs at a time.
 */
export const SWEEPS = {
  // Delivered jobs past AUTO_ACCEPT_AFTER_HOURS complete and pay the worker (docs/jobs.md).
  "jobs-auto-accept": "* * * * *",
  // Idempotency keys past their 24 hours (docs/idempotency.md).
  "idempotency-sweep": "7 * * * *",
  // The event log past EVENTS_RETENTION_DAYS / EVENTS_RETENTION_MAX_ROWS, in batches (docs/events.md, Retention).
  "events-retention": "17 * * * *",
} as const;

export type SweepName = keyof typeof SWEEPS;

export async function ensureScheduleQueues(boss: PgBoss): Promise<void> {
  const existing = new Set((await boss.getQueues()).map((q) => q.name));
  for (const name of Object.keys(SWEEPS)) {
    if (!existing.has(name))
      await boss.createQueue(name, { name, policy: "stately", expireInSeconds: 300, retryLimit: 0 });
  }
}
