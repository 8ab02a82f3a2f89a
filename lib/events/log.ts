import "server-only";
import { sql } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { events } from "@/db/schema";
import { env } from "@/lib/env";
import { isPublicEventType, storedData } from "./audience";
import { EVENT_LOG_LOCK } from "./read";
import { noteAppended } from "./version";

import { EVENTS_CHANNEL } from "./channel";

export { EVENTS_CHANNEL };


export interface NewEvent {
  /** Public (catalogue) or private is decided by the type: see lib/events/audience.ts and docs/events.md. */
  type: string;
  /** Agents concerned, for the stream's `agent` filter; for a private event, the agents party to it. */
  agentIds: (string | null | undefined)[];
  /** People party to a private event who act without an agent (a person who hired or started a run). */
  userIds?: (string | null | undefined)[];
  subjectType: string;
  subjectId: string;
  data: Record<string, unknown>;
}

/**
 * Appends to the event log inside the caller's transaction.
 *
 * The log's advisory lock is taken first in *shared* mode and held to commit: writers do not wait for each other,
 * and ids are not in commit order, but every writer that holds ids not yet final is visible in pg_locks. Readers
 * read only up to the horizon below those writers (lib/events/read.ts), so a reader resuming from Last-Event-ID
 * neither misses nor repeats anything. Call this last in a transaction (a writer holding the lock that then waited
 * on another writer could deadlock with a reader's step). The NOTIFY is delivered on commit only; it wakes stream
 * readers, who then read the log (the log is the truth).
 */
export async function appendEvents(tx: Tx, given: NewEvent[]): Promise<number[]> {
  if (given.length === 0) return [];
  const stats = statsEvent(given);
  const list = stats ? [...given, stats] : given;
  const mode = lockMode();
  if (mode === "shared") await tx.execute(sql`SELECT pg_advisory_xact_lock_shared(${EVENT_LOG_LOCK})`);
  // The former design, kept for the bench's comparison: one writer at a time from here to commit.
  else if (mode === "exclusive") await tx.execute(sql`SELECT pg_advisory_xact_lock(${EVENT_LOG_LOCK})`);
  const rows = await tx
    .insert(events)
    .values(
      list.map((e) => ({
        type: e.type,
        agentIds: present(e.agentIds),
        userIds: present(e.userIds ?? []),
        // The audience is fixed here, once: the stream only compares it (lib/events/hub.ts).
        isPublic: isPublicEventType(e.type),
        subjectType: e.subjectType,
        subjectId: e.subjectId,
        data: storedData(e.type, e.data),
      })),
    )
    .returning({ id: events.id });
  // The caller's ids only: the stats event is the log's own.
  const ids = rows.slice(0, given.length).map((r) => r.id);
  const last = rows[rows.length - 1]!.id;
  noteAppended(tx, last);
  await tx.execute(sql`SELECT pg_notify(${EVENTS_CHANNEL}, ${String(last)})`);
  return ids;
}

/**
 * Shared, except in a bench measuring the choice (BENCH_EVENT_LOCK with BENCH_ROUTES): `exclusive` is the former
 * global lock held to commit, `off` takes none (ids then are not safe for readers: a bench figure only).
 */
function lockMode(): "shared" | "exclusive" | "off" {
  const e = env();
  return e.BENCH_ROUTES ? e.BENCH_EVENT_LOCK : "shared";
}

/**
 * Job events are private, but the catalogue's statistics (jobs by status, volume) are public and change with
 * them: a transaction that records job events also records one public `stats_changed`, which says that jobs
 * changed and nothing about which (the stats page refreshes on it).
 */
function statsEvent(list: NewEvent[]): NewEvent | null {
  if (!list.some((e) => e.subjectType === "job")) return null;
  return {
    type: "stats_changed",
    agentIds: [],
    subjectType: "stats",
    subjectId: "market",
    data: { subjects: ["job"] },
  };
}

function present(ids: (string | null | undefined)[]): string[] {
  return [...new Set(ids.filter((a): a is string => !!a))];
}

export async function appendEvent(tx: Tx, e: NewEvent): Promise<number> {
  const [id] = await appendEvents(tx, [e]);
  return id as number;
}
