import "server-only";
import { max } from "drizzle-orm";
import type { Queryable } from "@/db/client";
import { events } from "@/db/schema";

/**
 * A small cache for the public catalogue lists (GET /api/services, GET /api/agents), which are read far more
 * often than the catalogue changes. An entry is valid while the event log has not moved: every change to agents
 * and services (and to reputations) appends an event in its own transaction, and event ids are handed out in
 * commit order (lib/events/log.ts), so `max(events.id)` is an exact, read-your-writes version of the data. That
 * check is one index-only lookup instead of a full-text page query and a count (about 20 ms on 10,000 services,
 * see the report in the catalogue commit). A write made with plain SQL outside the app, without an event, is
 * seen once any event is appended.
 */
export async function catalogueVersion(db: Queryable): Promise<number> {
  const [row] = await db.select({ v: max(events.id) }).from(events);
  return Number(row?.v ?? 0);
}

export class ListCache<T> {
  // Per database handle: a process that talks to two databases (tests) must not mix their versions.
  private readonly byDb = new WeakMap<object, Map<string, { version: number; value: Promise<T> }>>();

  constructor(private readonly maxEntries = 500) {}

  /** The cached value for `key` at `version`, or `load()`'s (concurrent callers share one load). */
  get(db: object, key: string, version: number, load: () => Promise<T>): Promise<T> {
    let entries = this.byDb.get(db);
    if (!entries) this.byDb.set(db, (entries = new Map()));
    return this.lookup(entries, key, version, load);
  }

  private lookup(
    entries: Map<string, { version: number; value: Promise<T> }>,
    key: string,
    version: number,
    load: () => Promise<T>,
  ): Promise<T> {
    const hit = entries.get(key);
    if (hit && hit.version === version) return hit.value;
    const value = load();
    entries.delete(key);
    entries.set(key, { version, value });
    // Oldest first: Map keeps insertion order, and a refreshed key was re-inserted above.
    while (entries.size > this.maxEntries) entries.delete(entries.keys().next().value as string);
    value.catch(() => {
      if (entries.get(key)?.value === value) entries.delete(key);
    });
    return value;
  }
}
