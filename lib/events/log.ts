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
  const rows = list.map((e) => ({
    type: e.type,
    agent_ids: present(e.agentIds),
    user_ids: present(e.userIds ?? []),
    // The audience is fixed here, once: the stream only compares it (lib/events/hub.ts).
    is_public: isPublicEventType(e.type),
    subject_type: e.subjectType,
    subject_id: e.subjectId,
    data: storedData(e.type, e.data),
  }));
  // One statement, one round trip: the lock, then (the rows are drawn from it) the ids in the order given, then
  // the NOTIFY with the last id. The lock comes first by data dependency: no id is drawn before it is held.
  const res = await tx.execute(sql`
    WITH l AS MATERIALIZED (SELECT ${lockCall()} AS locked),
    ins AS (
      INSERT INTO ${events} (type, agent_ids, user_ids, is_public, subject_type, subject_id, data)
      SELECT t.type, t.agent_ids, t.user_ids, t.is_public, t.subject_type, t.subject_id, t.data
        FROM l, ROWS FROM (jsonb_to_recordset(${JSON.stringify(rows)}::jsonb)
               AS (type text, agent_ids uuid[], user_ids uuid[], is_public boolean, subject_type text, subject_id text,
                   data jsonb)) WITH ORDINALITY AS t(type, agent_ids, user_ids, is_public, subject_type, subject_id, data, n)
       ORDER BY t.n
      RETURNING id)
    SELECT (SELECT array_agg(id::text ORDER BY id) FROM ins) AS ids,
           pg_notify(${EVENTS_CHANNEL}, (SELECT max(id) FROM ins)::text) AS notified`);
  const drawn = (res as unknown as { rows: { ids: string[] }[] }).rows[0]!.ids.map(Number);
  // The caller's ids only: the stats event is the log's own.
  const ids = drawn.slice(0, given.length);
  noteAppended(tx, drawn[drawn.length - 1]!);
  return ids;
}

/**
 * Shared, except in a bench measuring the choice (BENCH_EVENT_LOCK with BENCH_ROUTES): `exclusive` is the former
 * global lock held to commit (one writer at a time), `off` takes none (ids then are not safe for readers: a bench
 * figure only).
 */
function lockCall() {
  const e = env();
  const mode = e.BENCH_ROUTES ? e.BENCH_EVENT_LOCK : "shared";
  if (mode === "exclusive") return sql`pg_advisory_xact_lock(${EVENT_LOG_LOCK})::text`;
  if (mode === "off") return sql`NULL::text`;
  return sql`pg_advisory_xact_lock_shared(${EVENT_LOG_LOCK})::text`;
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
