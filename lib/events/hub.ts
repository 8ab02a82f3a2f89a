import "server-only";
import { and, asc, eq, gt, inArray, lte, or, sql, type SQL } from "drizzle-orm";
import { getDatabase, type Database } from "@/db/client";
import { events } from "@/db/schema";
import { env } from "@/lib/env";
import { log } from "@/lib/log";
import { anonymousAudience, visibleCondition, type Audience } from "./audience";
import { EVENTS_CHANNEL } from "./channel";
import { listen } from "./listen";
import { EventLogReader } from "./read";
import { prunedThrough } from "./retention";
import { drained, formatEvent, RESYNC_EVENT, resyncPayload, toPayload, type SseSink } from "./sse";
import { HUB_DEFAULTS, type HubOptions } from "./hub-options";
import { matches, SubscriberSet, type EventFilter, type EventRow, type Subscriber } from "./subscribers";

export type { FanOut, HubOptions } from "./hub-options";

export interface SubscribeOptions extends EventFilter {
  /** Resume point: deliver every matching event with a greater id. Null/undefined = start at "now". */
  after?: number | null;
  /** Who the subscriber is (lib/events/audience.ts); without one, public events only. */
  audience?: Audience;
}

/**
 * The fan-out of the event log for one process. One subscription to the events channel (on the process's shared
 * LISTEN connection, lib/events/listen.ts) and one reader of the log serve every SSE subscriber (the party index
 * is lib/events/subscribers.ts): each new row is read once, encoded once, and the same bytes are written to each matching
 * subscriber. The log is the truth; a notification only says "read again".
 */
export class EventHub {
  private readonly opts: Required<HubOptions>;
  private readonly subscribers = new SubscriberSet();
  private lastId = 0;
  private session: Promise<() => Promise<void>> | null = null;
  private idleTimer: ReturnType<typeof setTimeout> | null = null;
  private reading: Promise<void> | null = null;
  private readAgain = false;
  private stopped = false;
  private readonly log: EventLogReader;

  constructor(
    readonly database: Database,
    opts: HubOptions = {},
  ) {
    this.opts = { ...HUB_DEFAULTS, ...opts };
    this.log = new EventLogReader(database.db);
  }

  get subscriberCount(): number {
    return this.subscribers.size;
  }

  /** Whether the hub holds its subscription to the channel (it lets go after `idleStopMs` without subscribers). */
  get listening(): boolean {
    return this.session !== null;
  }

  /** The highest log id this hub has read and fanned out. */
  get position(): number {
    return this.lastId;
  }

  /** Starts listening (idempotent). LISTEN comes before reading the head so no commit falls in between. */
  async start(): Promise<void> {
    if (this.stopped) throw new Error("event hub stopped");
    await (this.session ??= this.openSession());
  }

  /** The channel subscription plus the safety-net poll; resolves to the function that ends both. */
  private openSession(): Promise<() => Promise<void>> {
    const session: Promise<() => Promise<void>> = (async () => {
      const unlisten = await listen(this.database, EVENTS_CHANNEL, { onNotify: () => void this.wake() });
      try {
        this.lastId = Math.max(this.lastId, await this.log.settle());
      } catch (err) {
        await unlisten();
        throw err;
      }
      const poll = setInterval(() => void this.wake(), this.opts.pollMs);
      poll.unref?.();
      return async () => {
        clearInterval(poll);
        await unlisten();
      };
    })();
    // A failed start is not kept: the next subscriber tries again.
    session.catch(() => {
      if (this.session === session) this.session = null;
    });
    return session;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.idleTimer) clearTimeout(this.idleTimer);
    for (const s of this.subscribers.all) s.sink.close();
    this.subscribers.clear();
    await this.pause();
    await this.reading?.catch(() => {});
  }

  /** Reads the log past the current position, unless a read is running (then it runs once more after). */
  wake(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    if (this.reading) {
      this.readAgain = true;
      return this.reading;
    }
    this.reading = this.readLoop().finally(() => {
      this.reading = null;
    });
    return this.reading;
  }

  private async readLoop(): Promise<void> {
    do {
      this.readAgain = false;
      let full: boolean;
      do {
        const rows = await this.log
          .next(this.lastId, this.opts.batch)
          .catch(() => [] as EventRow[]); // a failed read is retried by the next wake or poll
        for (const row of rows) this.dispatch(row);
        full = rows.length === this.opts.batch;
      } while (full && !this.stopped);
    } while (this.readAgain && !this.stopped);
  }

  private dispatch(row: EventRow): void {
    if (row.id <= this.lastId) return;
    this.lastId = row.id;
    if (row.type === "agent_registered") this.subscribers.grow(this.subscribers.ownersIn(row), row);
    const t0 = performance.now();
    let writes = 0;
    let bytes: Uint8Array | null = null;
    for (const s of this.subscribers.candidates(row)) {
      if (!matches(s, row)) continue;
      bytes ??= formatEvent(row.id, row.type, toPayload(row));
      if (s.buffer) {
        s.buffer.push({ id: row.id, bytes });
        if (s.buffer.length > this.opts.maxReplayBuffer) this.drop(s);
      } else {
        this.send(s, row.id, bytes);
        writes++;
      }
    }
    if (writes >= 1_000) {
      const ms = performance.now() - t0;
      this.opts.onFanOut?.({ eventId: row.id, writes, ms, lagMs: Date.now() - ms - row.createdAt.getTime() });
    }
  }

  private send(s: Subscriber, id: number, bytes: Uint8Array): void {
    if (id <= s.lastSentId) return;
    s.lastSentId = id;
    if (!s.sink.write(bytes) || s.sink.backlogBytes > this.opts.maxBacklogBytes) this.drop(s);
  }

  private drop(s: Subscriber): void {
    this.subscribers.remove(s);
    s.sink.close();
    this.scheduleIdleStop();
  }

  /**
   * Adds a subscriber and returns its unsubscribe function. With `after`, the log is replayed from there first;
   * live events that arrive meanwhile are buffered and only those past the replay are written, so the stream
   * has no gap and no repeat.
   */
  async subscribe(sink: SseSink, opts: SubscribeOptions = {}): Promise<() => void> {
    await this.start();
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = null;
    const audience = opts.audience ?? anonymousAudience();
    const s: Subscriber = {
      sink,
      types: opts.types?.length ? new Set(opts.types) : null,
      agentId: opts.agentId ?? null,
      audience: { agentIds: new Set(audience.agentIds), userId: audience.userId, subjects: audience.subjects },
      lastSentId: opts.after ?? this.lastId,
      buffer: opts.after == null ? null : [],
    };
    this.subscribers.add(s);
    const unsubscribe = () => {
      if (this.subscribers.remove(s)) this.scheduleIdleStop();
    };
    if (s.buffer) void this.replay(s).catch(() => this.drop(s));
    return unsubscribe;
  }

  private async replay(s: Subscriber): Promise<void> {
    for (;;) {
      const from = s.lastSentId;
      const conds: SQL[] = [visibleCondition(s.audience)];
      if (s.types) conds.push(inArray(events.type, [...s.types]));
      if (s.agentId) conds.push(sql`${events.agentIds} @> ARRAY[${s.agentId}]::uuid[]`);
      // A person's own agent_registered rows are read whatever the filters: they grow the audience (see grow).
      const wanted = s.audience.userId
        ? or(
            and(...conds),
            and(eq(events.type, "agent_registered"), sql`${events.userIds} @> ARRAY[${s.audience.userId}]::uuid[]`),
          )
        : and(...conds);
      const rows = await this.database.db
        .select()
        .from(events)
        // Up to the hub's position, a horizon of the log (lib/events/read.ts); what follows comes live.
        .where(and(gt(events.id, s.lastSentId), lte(events.id, this.lastId), wanted))
        .orderBy(asc(events.id))
        .limit(this.opts.batch);
      // Read after the rows: a retention sweep that deleted any of them (or any after) had moved the horizon first.
      const horizon = await prunedThrough(this.database.db);
      if (from < horizon) return this.resync(s, from, horizon);
      let grew = false;
      for (const row of rows) {
        if (s.sink.closed || !this.subscribers.has(s)) return;
        // A person's new agent: the rows after this one are read again with the grown audience.
        grew = this.subscribers.grow([s], row);
        if (!matches(s, row)) {
          if (grew) break;
          continue;
        }
        // Replay goes at the client's pace: wait for it to read rather than drop it for being behind.
        if (s.sink.backlogBytes > this.opts.maxBacklogBytes && !(await drained(s.sink, this.opts.maxBacklogBytes / 2)))
          return this.drop(s);
        s.lastSentId = row.id;
        if (!s.sink.write(formatEvent(row.id, row.type, toPayload(row)))) return this.drop(s);
        if (grew) break;
      }
      if (!grew && rows.length < this.opts.batch) break;
    }
    const buffered = s.buffer ?? [];
    s.buffer = null;
    for (const b of buffered) this.send(s, b.id, b.bytes);
  }

  /**
   * The resume point is older than the retained log: some events after it are gone. The subscriber is told to
   * refetch (a `resync` event whose id is the hub's position) and continues live from there, never with a gap.
   */
  private resync(s: Subscriber, from: number, horizon: number): void {
    if (s.sink.closed || !this.subscribers.has(s)) return;
    s.buffer = null;
    s.lastSentId = this.lastId;
    if (!s.sink.write(formatEvent(this.lastId, RESYNC_EVENT, resyncPayload(this.lastId, from, horizon)))) this.drop(s);
  }

  private scheduleIdleStop(): void {
    if (this.subscribers.size > 0 || this.opts.idleStopMs <= 0 || this.idleTimer) return;
    this.idleTimer = setTimeout(() => {
      this.idleTimer = null;
      if (this.subscribers.size === 0) void this.pause();
    }, this.opts.idleStopMs);
    this.idleTimer.unref?.();
  }

  /** Releases the LISTEN connection while nobody listens; the next subscriber starts the hub again. */
  private async pause(): Promise<void> {
    const session = this.session;
    this.session = null;
    const end = await session?.catch(() => null);
    await end?.();
  }
}

// One hub per process, cached on globalThis so that hot reloads and every route module share it.
const globalForHub = globalThis as unknown as { __agentMarketEventHub?: EventHub };

const round1 = (n: number) => Math.round(n * 10) / 10;

/** The process's hub, bound to the app database (a new one if tests swapped the database). */
export async function getEventHub(): Promise<EventHub> {
  const database = await getDatabase();
  const current = globalForHub.__agentMarketEventHub;
  if (current && current.database === database) return current;
  if (current) void current.stop();
  const hub = new EventHub(database, {
    maxBacklogBytes: env().SSE_MAX_BACKLOG_BYTES,
    // A large fan-out is logged: how long one event takes to reach every socket (the bench reads these lines).
    onFanOut: (f) =>
      log().info({ event_id: f.eventId, writes: f.writes, ms: round1(f.ms), lag_ms: round1(f.lagMs) }, "event fan-out"),
  });
  globalForHub.__agentMarketEventHub = hub;
  return hub;
}

/** Tests: stop the process hub before their database closes. */
export async function stopEventHub(): Promise<void> {
  const hub = globalForHub.__agentMarketEventHub;
  globalForHub.__agentMarketEventHub = undefined;
  await hub?.stop();
}
