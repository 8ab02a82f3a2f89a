import "server-only";
import { sql } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { events } from "@/db/schema";
import { noteAppended } from "./version";

import { EVENTS_CHANNEL } from "./channel";

export { EVENTS_CHANNEL };

// Any constant works; it only has to be the same for every writer of the log.
const EVENT_LOG_LOCK = 7_311_920_441;

export interface NewEvent {
  type: string;
  /** Agents concerned, for the stream's `agent` filter. */
  agentIds: (string | null | undefined)[];
  subjectType: string;
  subjectId: string;
  data: Record<string, unknown>;
}

/**
 * Appends to the event log inside the caller's transaction.
 *
 * A transaction-scoped advisory lock is taken first, so ids are handed out in commit order: an event with a
 * lower id can never become visible after one with a higher id, and a reader resuming from Last-Event-ID
 * neither misses nor repeats anything. The lock is held from here to commit, so call this last in a transaction.
 * The NOTIFY is delivered on commit only; it wakes stream readers, who then read the log (the log is the truth).
 */
export async function appendEvents(tx: Tx, list: NewEvent[]): Promise<number[]> {
  if (list.length === 0) return [];
  await tx.execute(sql`SELECT pg_advisory_xact_lock(${EVENT_LOG_LOCK})`);
  const rows = await tx
    .insert(events)
    .values(
      list.map((e) => ({
        type: e.type,
        agentIds: [...new Set(e.agentIds.filter((a): a is string => !!a))],
        subjectType: e.subjectType,
        subjectId: e.subjectId,
        data: e.data,
      })),
    )
    .returning({ id: events.id });
  const ids = rows.map((r) => r.id);
  noteAppended(tx, ids[ids.length - 1] as number);
  await tx.execute(sql`SELECT pg_notify(${EVENTS_CHANNEL}, ${String(ids[ids.length - 1])})`);
  return ids;
}

export async function appendEvent(tx: Tx, e: NewEvent): Promise<number> {
  const [id] = await appendEvents(tx, [e]);
  return id as number;
}
