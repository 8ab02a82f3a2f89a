import "server-only";
import type { events } from "@/db/schema";
import { agentGained, canSee, type Audience } from "./audience";
import type { SseSink } from "./sse";

export type EventRow = typeof events.$inferSelect;

/**
 * What a subscriber wants: event types (empty = all) and one agent the events must concern. A filter only
 * narrows what the subscriber's audience may receive; it never widens it.
 */
export interface EventFilter {
  types?: readonly string[];
  agentId?: string | null;
}

/** One SSE client of the event hub. */
export interface Subscriber {
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

/** Whether a row goes to a subscriber: its filters, then its audience. */
export function matches(s: Subscriber, row: EventRow): boolean {
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

/**
 * The subscribers of one hub, also indexed by the parties they stand for (agent ids, and `user:<id>` for
 * people): a private event is matched against the subscribers of its own parties only, so its cost does not
 * grow with the crowd of anonymous or unrelated subscribers. Public events go to every subscriber.
 */
export class SubscriberSet {
  readonly all = new Set<Subscriber>();
  private readonly byParty = new Map<string, Set<Subscriber>>();

  get size(): number {
    return this.all.size;
  }

  has(s: Subscriber): boolean {
    return this.all.has(s);
  }

  add(s: Subscriber): void {
    this.all.add(s);
    this.index(s, partyKeys(s.audience));
  }

  /** False when it was not (or no longer) a member. */
  remove(s: Subscriber): boolean {
    if (!this.all.delete(s)) return false;
    for (const k of partyKeys(s.audience)) {
      const set = this.byParty.get(k);
      set?.delete(s);
      if (set?.size === 0) this.byParty.delete(k);
    }
    return true;
  }

  clear(): void {
    this.all.clear();
    this.byParty.clear();
  }

  /** The subscribers a row may go to: everyone for a public row, else those standing for one of its parties. */
  candidates(row: EventRow): Iterable<Subscriber> {
    if (row.isPublic) return this.all;
    const found = new Set<Subscriber>();
    for (const id of row.agentIds) for (const s of this.byParty.get(id) ?? []) found.add(s);
    for (const id of row.userIds) for (const s of this.byParty.get(userKey(id)) ?? []) found.add(s);
    return found;
  }

  /** The people's subscribers an `agent_registered` row names as owners. */
  ownersIn(row: EventRow): Subscriber[] {
    return row.userIds.flatMap((u) => [...(this.byParty.get(userKey(u)) ?? [])]);
  }

  /** Adds the agent an `agent_registered` row gives to each subscriber it names as owner; true if any grew. */
  grow(subs: Iterable<Subscriber>, row: EventRow): boolean {
    let grew = false;
    for (const s of [...subs]) {
      const agentId = agentGained(s.audience, row);
      if (!agentId) continue;
      s.audience.agentIds.add(agentId);
      if (this.all.has(s)) this.index(s, [agentId]);
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
}
