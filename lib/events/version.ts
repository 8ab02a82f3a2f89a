import "server-only";
import { max } from "drizzle-orm";
import { getDatabase, type Database, type Tx } from "@/db/client";
import { events } from "@/db/schema";
import { EVENTS_CHANNEL } from "./channel";
import { listen } from "./listen";

/**
 * The id of the newest event, known without a query on the hot path. Every change appends an event and ids are
 * handed out in commit order (log.ts), so this number is an exact version of everything the app stores: a read
 * cached at version V is current until the version moves.
 *
 * It is kept current by a LISTEN on the events channel (changes made by any process, delivered on their commit)
 * and, for read-your-writes in this process, bumped by `inTransaction` as soon as one of our own transactions
 * commits. Until the LISTEN is up, or while its connection is lost, `current()` falls back to reading
 * `max(events.id)`, so a missed notification can never serve stale data for long.
 */
class VersionTracker {
  private version = 0;
  private live = false;
  /** The shared LISTEN connection dropped and has not reconnected yet. */
  private lost = false;
  private starting: Promise<void> | null = null;

  constructor(private readonly database: Database) {}

  get isLive(): boolean {
    return this.live;
  }

  async current(): Promise<number> {
    if (this.live) return this.version;
    void this.start();
    return this.bump(await this.read());
  }

  bump(id: number): number {
    if (id > this.version) this.version = id;
    return this.version;
  }

  private async read(): Promise<number> {
    const [row] = await this.database.db.select({ v: max(events.id) }).from(events);
    return Number(row?.v ?? 0);
  }

  private start(): Promise<void> {
    this.starting ??= (async () => {
      try {
        await listen(this.database, EVENTS_CHANNEL, {
          onNotify: (payload) => {
            const id = Number(payload);
            // An empty payload follows a reconnect: catch up from the log before trusting the version again.
            if (payload && Number.isFinite(id)) this.bump(id);
            else {
              this.lost = false;
              void this.read().then((v) => ((this.live = !this.lost), this.bump(v)));
            }
          },
          onLost: () => {
            this.lost = true;
            this.live = false;
          },
        });
        // LISTEN first, then read: a commit in between is seen by one or the other.
        this.bump(await this.read());
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

/** The current version of the stored data (the newest event id), usually without touching the database. */
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
  if (id) trackerOf(database).bump(id);
}
