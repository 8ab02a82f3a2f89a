import "server-only";
import { and, asc, gt, lte, sql } from "drizzle-orm";
import type { Queryable } from "@/db/client";
import { events } from "@/db/schema";
import type { EventRow } from "./subscribers";

/**
 * Reading the event log in id order without a gap, while writers append concurrently.
 *
 * Writers do not hand out ids in commit order: each takes the log's advisory lock in *shared* mode before its ids
 * are drawn and keeps it until its transaction ends (lib/events/log.ts), so writers never wait for each other, and
 * a writer that commits later may hold a lower id than one already visible. A reader therefore only reads up to a
 * horizon: an id below which every id is final (committed or rolled back). Each step reads, in one statement, the
 * last id drawn from the sequence and then (after it, by data dependency) the writers holding the lock: every id
 * up to that value was drawn by a writer holding the lock at that moment, so once those writers are gone from
 * pg_locks the value is a horizon. Readers never block writers; nothing is held to commit across the log.
 */
/** The log's advisory lock key; any constant works, it only has to be the same for every writer and reader. */
export const EVENT_LOG_LOCK = 7_311_920_441;
const HI = Math.floor(EVENT_LOG_LOCK / 2 ** 32);
const LO = EVENT_LOG_LOCK % 2 ** 32;
const holdersOfTheLock = sql`locktype = 'advisory' AND granted AND classid = ${HI}::oid AND objid = ${LO}::oid
  AND objsubid = 1 AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`;

interface Step {
  prevDone: boolean;
  last: number;
  holders: string[];
}

async function step(db: Queryable, prev: string[]): Promise<Step> {
  const res = await db.execute(sql`
    SELECT NOT EXISTS (SELECT 1 FROM pg_locks WHERE ${holdersOfTheLock}
                         AND virtualtransaction = ANY(${`{${prev.join(",")}}`}::text[])) AS "prevDone",
           s.last::text AS "last",
           (SELECT coalesce(array_agg(virtualtransaction), '{}') FROM pg_locks
             WHERE ${holdersOfTheLock} AND s.last >= 0) AS "holders"
      FROM (SELECT coalesce(pg_sequence_last_value('events_id_seq'::regclass), 0) AS last OFFSET 0) s`);
  const row = (res as unknown as { rows: { prevDone: boolean; last: string; holders: string[] | string }[] }).rows[0]!;
  const holders = Array.isArray(row.holders) ? row.holders : parseTextArray(row.holders);
  return { prevDone: row.prevDone, last: Number(row.last), holders };
}

/** `{a,b}` as some drivers return a text[] (PGlite and node-postgres parse it; this is the fallback). */
function parseTextArray(v: string): string[] {
  const inner = v.replace(/^\{|\}$/g, "");
  return inner ? inner.split(",").map((s) => s.replace(/^"|"$/g, "")) : [];
}

/**
 * One reader's view of how far the log is final. `advance()` moves the horizon as far as the writers allow;
 * `settle()` waits (briefly: for the writers in flight now to end) until everything drawn so far is final.
 */
export class EventLogReader {
  private safe = 0;
  private pending: { last: number; holders: string[] } | null = null;

  constructor(private readonly db: Queryable) {}

  /** Every id at or below the returned one is final. */
  get horizon(): number {
    return this.safe;
  }

  /** Whether writers that drew ids above the horizon are still in flight. */
  get waiting(): boolean {
    return this.pending !== null;
  }

  async advance(): Promise<number> {
    const s = await step(this.db, this.pending?.holders ?? []);
    if (this.pending && s.prevDone) {
      this.safe = Math.max(this.safe, this.pending.last);
      this.pending = null;
    }
    if (s.holders.length === 0) {
      this.safe = Math.max(this.safe, s.last);
      this.pending = null;
    } else if (!this.pending) {
      // Kept until these writers are gone, not replaced by later ones: under steady writes it still moves.
      this.pending = { last: s.last, holders: s.holders };
    }
    return this.safe;
  }

  /** The horizon once every id drawn before this call is final (the writers in flight end within a commit). */
  async settle(): Promise<number> {
    await this.advance();
    const target = this.pending?.last ?? this.safe;
    for (let i = 0; this.safe < target; i++) {
      await new Promise((r) => setTimeout(r, Math.min(20, 1 + i)));
      await this.advance();
    }
    return this.safe;
  }

  /** The next rows after `after`, in id order, up to the horizon (moved first). */
  async next(after: number, limit: number): Promise<EventRow[]> {
    const upTo = await this.advance();
    if (upTo <= after) return [];
    return this.db
      .select()
      .from(events)
      .where(and(gt(events.id, after), lte(events.id, upTo)))
      .orderBy(asc(events.id))
      .limit(limit);
  }
}
