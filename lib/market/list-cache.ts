import "server-only";

/**
 * A small cache for the public catalogue reads (GET /api/services, GET /api/agents, GET /api/agents/{id}), which
 * are read far more often than the catalogue changes. An entry is valid while the data version (the newest event
 * id, lib/events/version.ts) has not moved; that version is kept in memory from the event channel's
 * notifications, so a hit costs no query at all. A write made with plain SQL outside the app, without an event,
 * is seen once any event is appended.
 */
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
