import "server-only";
import { asc, desc, gte, inArray, lte, max, sql } from "drizzle-orm";
import { getDb, type Queryable } from "@/db/client";
import { eventLogHorizon, events } from "@/db/schema";
import { env } from "@/lib/env";

export interface RetentionPolicy {
  /** Events older than this many days go (0 = no age limit). */
  maxAgeDays: number;
  /** Only the newest this many are kept (0 = no count limit). */
  maxRows: number;
  /** Rows deleted per statement, so that no one transaction holds the table for long. */
  batch: number;
  now?: Date;
}

export function retentionFromEnv(): RetentionPolicy {
  const e = env();
  return { maxAgeDays: e.EVENTS_RETENTION_DAYS, maxRows: e.EVENTS_RETENTION_MAX_ROWS, batch: e.EVENTS_RETENTION_BATCH };
}

/** Every event with an id at or below this may have been deleted (0: none). A resume from below it must resync. */
export async function prunedThrough(db: Queryable): Promise<number> {
  const [row] = await db.select({ id: eventLogHorizon.prunedThrough }).from(eventLogHorizon).limit(1);
  return row?.id ?? 0;
}

/**
 * The highest id the policy lets go. The log is pruned as a prefix (everything at or below one id), so the horizon
 * is one number. By age, the prefix ends just below the first event young enough to keep: every row below it is
 * older than the limit whatever the order its transaction committed in. The newest event is always kept, so
 * `max(id)` (the data version, a hub's starting point) never goes back.
 */
async function cutoffId(db: Queryable, policy: RetentionPolicy): Promise<number> {
  const [top] = await db.select({ id: max(events.id) }).from(events);
  const newest = Number(top?.id ?? 0);
  let cutoff = 0;
  if (policy.maxAgeDays > 0) {
    const before = new Date((policy.now ?? new Date()).getTime() - policy.maxAgeDays * 86_400_000);
    const [kept] = await db
      .select({ id: events.id })
      .from(events)
      .where(gte(events.createdAt, before))
      .orderBy(asc(events.id))
      .limit(1);
    cutoff = kept ? kept.id - 1 : newest;
  }
  if (policy.maxRows > 0) {
    const [row] = await db
      .select({ id: events.id })
      .from(events)
      .orderBy(desc(events.id))
      .offset(policy.maxRows)
      .limit(1);
    if (row) cutoff = Math.max(cutoff, row.id);
  }
  return Math.min(cutoff, newest - 1);
}

/**
 * The retention sweep (lib/schedules.ts): moves the horizon first, then deletes below it in batches. A stream
 * resuming into the range being deleted is told to resync from the moment the horizon moved, never given a gap;
 * a sweep that stopped half-way is finished by the next one.
 */
export async function pruneEvents(
  policy: RetentionPolicy = retentionFromEnv(),
  database?: Queryable,
): Promise<{ prunedThrough: number; deleted: number }> {
  const db = database ?? (await getDb());
  const cutoff = await cutoffId(db, policy);
  const [row] = await db
    .insert(eventLogHorizon)
    .values({ id: 1, prunedThrough: Math.max(cutoff, 0) })
    .onConflictDoUpdate({
      target: eventLogHorizon.id,
      set: {
        prunedThrough: sql`greatest(${eventLogHorizon.prunedThrough}, excluded.pruned_through)`,
        prunedAt: sql`now()`,
      },
    })
    .returning({ through: eventLogHorizon.prunedThrough });
  const through = row!.through;
  let deleted = 0;
  for (;;) {
    const below = db
      .select({ id: events.id })
      .from(events)
      .where(lte(events.id, through))
      .orderBy(asc(events.id))
      .limit(policy.batch);
    const gone = await db.delete(events).where(inArray(events.id, below)).returning({ id: events.id });
    deleted += gone.length;
    if (gone.length < policy.batch) break;
  }
  return { prunedThrough: through, deleted };
}
