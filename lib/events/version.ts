import "server-only";
import { getDatabase, type Database, type Tx } from "@/db/client";
import { EVENTS_CHANNEL } from "./channel";
import { listen } from "./listen";
import { EventLogReader } from "./read";

/**
 * A version of everything the app stores, known without a query on the hot path: every change appends an event
 * and notifies on commit, so the version moves with every commit. A read cached at version V is current until the
 * version moves. It is the newest event id while commits arrive in id order; ids are not in commit order
 * (lib/events/log.ts), so a commit whose ids are below the version moves it by one instead (it is a number that
 * only grows, compared for equality by the caches).
 *
 * It is kept current by a LISTEN on the events channel (changes made by any process, delivered on their commit)
 * and, for read-your-writes in this process, moved by `inTransaction` as soon as one of our own transactions
 * commits. Until the LISTEN is up, or while its connection is lost, `current()` falls back to reading the log's
 * horizon (lib/events/read.ts), so a missed notification can never serve stale data for long.
 */
class VersionTracker {
  private version = 0;
  private live = false;
  /** The shared LISTEN connection dropped and has not reconnected yet. */
  private lost = false;
  private starting: Promise<void> | null = null;
  /** Commits already counted (our own, then their notification), by their last event id; the newest few only. */
  private readonly counted = new Set<number>();
  private readonly log: EventLogReader;
  private lastHorizon = 0;

  constructor(private readonly database: Database) {
    this.log = new EventLogReader(database.db);
  }

  get isLive(): boolean {
    return this.live;
  }

  async current(): Promise<number> {
    if (this.live) return this.version;
    void this.start();
    return this.read();
  }

  /** A commit whose last event id is `id`: the version moves, once per commit. */
  committed(id: number): number {
    if (this.counted.has(id)) return this.version;
    this.counted.add(id);
    if (this.counted.size > 1_024) this.counted.delete(this.counted.values().next().value as number);
    this.version = id > this.version ? id : this.version + 1;
    return this.version;
  }

  /**
   * From the log: the horizon, below which every id is final. While writers are still in flight above it the data
   * may change without the horizon moving, so the version moves on every such read (nothing is cached meanwhile).
   */
  private async read(): Promise<number> {
    const h = await this.log.advance();
    if (this.log.waiting || h !== this.lastHorizon) this.version = h > this.version ? h : this.version + 1;
    this.lastHorizon = h;
    return this.version;
  }

  private start(): Promise<void> {
    this.starting ??= (async () => {
      try {
        await listen(this.database, EVENTS_CHANNEL, {
          onNotify: (payload) => {
            const id = Number(payload);
            // An empty payload follows a reconnect: catch up from the log before trusting the version again.
            if (payload && Number.isFinite(id)) this.committed(id);
            else {
              this.lost = false;
              void this.read().then(() => (this.live = !this.lost));
            }
          },
          onLost: () => {
            this.lost = true;
            this.live = false;
          },
        });
        // LISTEN first, then read: a commit in between is seen by one or the other.
        await this.read();
        this.live = !this.lost; // joined a shared connection that is reconnecting: not yet
      } catch {
        this.starting = null; // try again on the next call; meanwhile every call reads the log
      }
    })();
    return this.starting;
  }
}

const trackers = new WeakMap<Database, VersionTracker>();

function trackerOf(database: Database): VersionTracker {
  let t = trackers.get(database);
  if (!t) trackers.set(database, (t = new VersionTracker(database)));
  return t;
}

/** The current version of the stored data (see VersionTracker), usually without touching the database. */
export async function dataVersion(): Promise<number> {
  return trackerOf(await getDatabase()).current();
}

/** Whether the version is being followed from notifications (false: each read asks the database). */
export async function dataVersionIsLive(): Promise<boolean> {
  return trackerOf(await getDatabase()).isLive;
}

// Ids appended by each open transaction, so that its commit can bump the version before the caller answers.
const appended = new WeakMap<Tx, number>();

export function noteAppended(tx: Tx, lastId: number): void {
  appended.set(tx, Math.max(appended.get(tx) ?? 0, lastId));
}

/** Called after a transaction committed: our own writes are visible to our own next read at once. */
export function noteCommitted(database: Database, tx: Tx): void {
  const id = appended.get(tx);
  if (id) trackerOf(database).committed(id);
}
