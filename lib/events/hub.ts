import "server-only";
import { and, asc, eq, gt, inArray, or, sql, type SQL } from "drizzle-orm";
import { getDatabase, type Database } from "@/db/client";
import { events } from "@/db/schema";
import { agentGained, anonymousAudience, canSee, visibleCondition, type Audience } from "./audience";
import { EVENTS_CHANNEL } from "./log";
import { formatEvent, type SseSink } from "./sse";

/**
 * What a subscriber wants: event types (empty = all) and one agent the events must concern. A filter only
 * narrows what the subscriber's audience may receive; it never widens it.
 */
export interface EventFilter {
  types?: readonly string[];
  agentId?: string | null;
}

export interface SubscribeOptions extends EventFilter {
  /** Resume point: deliver every matching event with a greater id. Null/undefined = start at "now". */
  after?: number | null;
  /** Who the subscriber is (lib/events/audience.ts); without one, public events only. */
  audience?: Audience;
}

/** The `data:` of an SSE event (the Event resource). */
export interface EventPayload {
  id: number;
  type: string;
  subject_type: string;
  subject_id: string;
  agent_ids: string[];
  data: Record<string, unknown>;
  created_at: string;
}

export interface HubOptions {
  /** Safety-net poll in case a notification is lost (a LISTEN connection that dropped and came back). */
  pollMs?: number;
  /** Rows per read of the log. */
  batch?: number;
  /** A subscriber whose unsent bytes exceed this is dropped; it resumes with Last-Event-ID. */
  maxBacklogBytes?: number;
  /** Live events buffered for a subscriber that is still replaying; past this it is dropped. */
  maxReplayBuffer?: number;
  /** Stop listening this long after the last subscriber left (0 = never). */
  idleStopMs?: number;
}

type EventRow = typeof events.$inferSelect;

interface Subscriber {
  sink: SseSink;
  types: Set<string> | null;
  agentId: string | null;
  /** Its own copy: a person's grows when they register an agent (see agentGained). */
  audience: Audience;
  /** Highest id written to this subscriber; anything at or below it is never written again. */
  lastSentId: number;
  /** Non-null while replaying from the log: live events wait here. */
  buffer: { id: number; bytes: Uint8Array }[] | null;
}

const DEFAULTS: Required<HubOptions> = {
  pollMs: 3_000,
  batch: 500,
  maxBacklogBytes: 512 * 1024,
  maxReplayBuffer: 10_000,
  idleStopMs: 60_000,
};

export function toPayload(row: EventRow): EventPayload {
  return {
    id: row.id,
    type: row.type,
    subject_type: row.subjectType,
    subject_id: row.subjectId,
    agent_ids: row.agentIds,
    data: row.data,
    created_at: row.createdAt.toISOString(),
  };
}

/**
 * The fan-out of the event log for one process. One LISTEN connection and one reader of the log serve every
 * SSE subscriber: each new row is read once, encoded once, and the same bytes are written to each matching
 * subscriber. The log is the truth; a notification only says "read again".
 */
export class EventHub {
  private readonly opts: Required<HubOptions>;
  private readonly subscribers = new Set<Subscriber>();
  /**
   * Subscribers by the parties they stand for (agent ids, and `user:<id>` for people): a private event is
   * matched against the subscribers of its own parties only, so its cost does not grow with the crowd of
   * anonymous or unrelated subscribers. Public events go to every subscriber.
   */
  private readonly byParty = new Map<string, Set<Subscriber>>();
  private lastId = 0;
  private session: Promise<() => Promise<void>> | null = null;
  private idleTimer: ReturnType<typeof setTimeout> | null = null;
  private reading: Promise<void> | null = null;
  private readAgain = false;
  private stopped = false;

  constructor(
    readonly database: Database,
    opts: HubOptions = {},
  ) {
    this.opts = { ...DEFAULTS, ...opts };
  }

  get subscriberCount(): number {
    return this.subscribers.size;
  }

  /** Whether the hub holds its LISTEN connection (it lets go after `idleStopMs` without subscribers). */
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

  /** One LISTEN connection plus the safety-net poll; resolves to the function that ends both. */
  private openSession(): Promise<() => Promise<void>> {
    const session: Promise<() => Promise<void>> = (async () => {
      const unlisten = await this.database.listen(EVENTS_CHANNEL, () => void this.wake());
      try {
        const [row] = await this.database.db.select({ max: sql<string | null>`max(${events.id})` }).from(events);
        this.lastId = Math.max(this.lastId, Number(row?.max ?? 0));
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
    for (const s of this.subscribers) s.sink.close();
    this.subscribers.clear();
    this.byParty.clear();
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
        const rows = await this.database.db
          .select()
          .from(events)
          .where(gt(events.id, this.lastId))
          .orderBy(asc(events.id))
          .limit(this.opts.batch)
          .catch(() => [] as EventRow[]); // a failed read is retried by the next wake or poll
        for (const row of rows) this.dispatch(row);
        full = rows.length === this.opts.batch;
      } while (full && !this.stopped);
    } while (this.readAgain && !this.stopped);
  }

  private dispatch(row: EventRow): void {
    if (row.id <= this.lastId) return;
    this.lastId = row.id;
    if (row.type === "agent_registered") for (const u of row.userIds) this.grow(this.byParty.get(userKey(u)), row);
    let bytes: Uint8Array | null = null;
    for (const s of row.isPublic ? this.subscribers : this.partiesOf(row)) {
      if (!matches(s, row)) continue;
      bytes ??= formatEvent(row.id, row.type, toPayload(row));
      if (s.buffer) {
        s.buffer.push({ id: row.id, bytes });
        if (s.buffer.length > this.opts.maxReplayBuffer) this.drop(s);
      } else {
        this.send(s, row.id, bytes);
      }
    }
  }

  /** The subscribers that stand for one of the row's parties. */
  private partiesOf(row: EventRow): Set<Subscriber> {
    const found = new Set<Subscriber>();
    for (const id of row.agentIds) for (const s of this.byParty.get(id) ?? []) found.add(s);
    for (const id of row.userIds) for (const s of this.byParty.get(userKey(id)) ?? []) found.add(s);
    return found;
  }

  /** Adds the agent an `agent_registered` row gives to each subscriber it names as owner; true if any grew. */
  private grow(subs: Iterable<Subscriber> | undefined, row: EventRow): boolean {
    let grew = false;
    for (const s of [...(subs ?? [])]) {
      const agentId = agentGained(s.audience, row);
      if (!agentId) continue;
      s.audience.agentIds.add(agentId);
      this.index(s, [agentId]);
      grew = true;
    }
    return grew;
  }

  private index(s: Subscriber, keys: Iterable<string>): void {
    for (const k of keys) {
      let set = this.byParty.get(k);
      if (!set) this.byParty.set(k, (set = new Set()));
      set.add(s);
    }
  }

  private remove(s: Subscriber): boolean {
    if (!this.subscribers.delete(s)) return false;
    for (const k of partyKeys(s.audience)) {
      const set = this.byParty.get(k);
      set?.delete(s);
      if (set?.size === 0) this.byParty.delete(k);
    }
    return true;
  }

  private send(s: Subscriber, id: number, bytes: Uint8Array): void {
    if (id <= s.lastSentId) return;
    s.lastSentId = id;
    if (!s.sink.write(bytes) || s.sink.backlogBytes > this.opts.maxBacklogBytes) this.drop(s);
  }

  private drop(s: Subscriber): void {
    this.remove(s);
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
    this.index(s, partyKeys(s.audience));
    const unsubscribe = () => {
      if (this.remove(s)) this.scheduleIdleStop();
    };
    if (s.buffer) void this.replay(s).catch(() => this.drop(s));
    return unsubscribe;
  }

  private async replay(s: Subscriber): Promise<void> {
    for (;;) {
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
        .where(and(gt(events.id, s.lastSentId), wanted))
        .orderBy(asc(events.id))
        .limit(this.opts.batch);
      let grew = false;
      for (const row of rows) {
        if (s.sink.closed || !this.subscribers.has(s)) return;
        // A person's new agent: the rows after this one are read again with the grown audience.
        grew = this.grow([s], row);
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

function matches(s: Subscriber, row: EventRow): boolean {
  if (s.types && !s.types.has(row.type)) return false;
  if (s.agentId && !row.agentIds.includes(s.agentId)) return false;
  return canSee(s.audience, row);
}

function userKey(userId: string): string {
  return `user:${userId}`;
}

function partyKeys(a: Audience): string[] {
  return [...a.agentIds, ...(a.userId ? [userKey(a.userId)] : [])];
}

/** Waits (polling briefly) until the client has taken most of what was written during replay. */
async function drained(sink: SseSink, below: number, timeoutMs = 30_000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (sink.backlogBytes > below) {
    if (sink.closed || Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 10));
  }
  return !sink.closed;
}

// One hub per process, cached on globalThis so that hot reloads and every route module share it.
const globalForHub = globalThis as unknown as { __agentMarketEventHub?: EventHub };

/** The process's hub, bound to the app database (a new one if tests swapped the database). */
export async function getEventHub(): Promise<EventHub> {
  const database = await getDatabase();
  const current = globalForHub.__agentMarketEventHub;
  if (current && current.database === database) return current;
  if (current) void current.stop();
  const hub = new EventHub(database);
  globalForHub.__agentMarketEventHub = hub;
  return hub;
}

/** Tests: stop the process hub before their database closes. */
export async function stopEventHub(): Promise<void> {
  const hub = globalForHub.__agentMarketEventHub;
  globalForHub.__agentMarketEventHub = undefined;
  await hub?.stop();
}
