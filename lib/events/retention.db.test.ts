import { randomUUID } from "node:crypto";
import { afterAll, describe, expect, it, vi } from "vitest";
import { and, asc, gt, inArray, lte, sql } from "drizzle-orm";
import { events } from "@/db/schema";
import { GET as eventsRoute } from "@/app/api/events/route";
import { setupTestDatabase } from "@/test/db";
import { readStream, setupEventSubscriptions } from "@/test/fixtures/event-stream";
import type { Audience } from "./audience";
import { EventHub } from "./hub";
import { appendEvent } from "./log";
import { prunedThrough, pruneEvents } from "./retention";
import { sseResponse } from "./sse";

const db = setupTestDatabase();
const subscribeRoute = setupEventSubscriptions(eventsRoute);
const hubs: EventHub[] = [];
afterAll(async () => {
  await Promise.all(hubs.map((h) => h.stop()));
});

const PARTY = randomUUID();
const party = (): Audience => ({ agentIds: new Set([PARTY]), userId: null, subjects: null });
const DAY = 86_400_000;

function write(): Promise<number> {
  return db.current.database.db.transaction((tx) =>
    appendEvent(tx, { type: "job.created", agentIds: [PARTY], subjectType: "task", subjectId: randomUUID(), data: {} }),
  );
}

/** Writes `n` events dated `daysAgo` days back. */
async function writeAged(n: number, daysAgo: number): Promise<number[]> {
  const ids: number[] = [];
  for (let i = 0; i < n; i++) ids.push(await write());
  await db.current.database.db
    .update(events)
    .set({ createdAt: new Date(Date.now() - daysAgo * DAY) })
    .where(inArray(events.id, ids));
  return ids;
}

async function existing(ids: number[]): Promise<number[]> {
  const rows = await db.current.database.db
    .select({ id: events.id })
    .from(events)
    .where(inArray(events.id, ids))
    .orderBy(asc(events.id));
  return rows.map((r) => r.id);
}

function subscribe(hub: EventHub, after: number) {
  const ac = new AbortController();
  const res = sseResponse((s) => hub.subscribe(s, { after, audience: party() }), {
    heartbeatMs: 60_000,
    signal: ac.signal,
  });
  const stream = readStream(res);
  return { stream, close: () => (ac.abort(), stream.cancel()) };
}

// The tests build on each other: one log, pruned further at each step.
describe("event log retention", () => {
  let old: number[] = [];
  let recent: number[] = [];

  it("deletes the events older than the age limit, in batches, and keeps every younger one", async () => {
    old = await writeAged(5, 40);
    recent = [...(await writeAged(2, 29)), ...(await writeAged(2, 0))];
    const result = await pruneEvents({ maxAgeDays: 30, maxRows: 0, batch: 2 }, db.current.database.db);
    expect(result).toEqual({ prunedThrough: old[old.length - 1], deleted: 5 });
    expect(await existing(old)).toEqual([]);
    expect(await existing(recent)).toEqual(recent);
    expect(await prunedThrough(db.current.database.db)).toBe(old[old.length - 1]);
    // Run again: nothing more is old enough.
    expect(await pruneEvents({ maxAgeDays: 30, maxRows: 0, batch: 2 }, db.current.database.db)).toEqual({
      prunedThrough: old[old.length - 1],
      deleted: 0,
    });
  });

  it("keeps only the newest rows under a count limit, and never deletes the newest event", async () => {
    const result = await pruneEvents({ maxAgeDays: 0, maxRows: 3, batch: 100 }, db.current.database.db);
    expect(result).toEqual({ prunedThrough: recent[0], deleted: 1 });
    expect(await existing(recent)).toEqual(recent.slice(1));
    // Everything is "old" at a 1-day limit a year from now, but the newest event stays (max(id) never goes back).
    const later = new Date(Date.now() + 365 * DAY);
    await pruneEvents({ maxAgeDays: 1, maxRows: 0, batch: 100, now: later }, db.current.database.db);
    expect(await existing(recent)).toEqual(recent.slice(-1));
    recent = recent.slice(-1);
  });

  it("tells a stream resuming below the horizon to resync, then carries on live from the hub's position", async () => {
    const hub = new EventHub(db.current.database);
    hubs.push(hub);
    await hub.start();
    const { stream, close } = subscribe(hub, old[0]!);
    await stream.until(() => stream.events().length > 0);
    const frames = stream.events();
    expect(frames[0]!.event).toBe("resync");
    const resumeFrom = Number(frames[0]!.id);
    expect(resumeFrom).toBe(hub.position);
    const horizon = await prunedThrough(db.current.database.db);
    expect(JSON.parse(frames[0]!.data!)).toMatchObject({
      type: "resync",
      data: { last_event_id: old[0], pruned_through: horizon },
    });
    // Nothing of the retained log is replayed after it; the next new event arrives live.
    const next = await write();
    await stream.until(() => stream.ids().includes(next));
    expect(stream.ids()).toEqual([resumeFrom, next]);
    expect(stream.events().map((f) => f.event)).toEqual(["resync", "job.created"]);
    await close();
  });

  it("replays exactly the retained events to a stream resuming at or above the horizon, with no resync", async () => {
    const hub = new EventHub(db.current.database);
    hubs.push(hub);
    await hub.start();
    const horizon = await prunedThrough(db.current.database.db);
    const more = [await write(), await write()];
    const expected = (
      await db.current.database.db
        .select({ id: events.id })
        .from(events)
        .where(and(gt(events.id, horizon), sql`${events.agentIds} @> ARRAY[${PARTY}]::uuid[]`))
        .orderBy(asc(events.id))
    ).map((r) => r.id);
    expect(expected.slice(-2)).toEqual(more);
    const { stream, close } = subscribe(hub, horizon);
    await stream.until(() => stream.ids().includes(more[1]!));
    expect(stream.ids()).toEqual(expected);
    expect(stream.events().some((f) => f.event === "resync")).toBe(false);
    await close();
    // And nothing at or below the horizon is left in the log.
    const left = await db.current.database.db.select({ id: events.id }).from(events).where(lte(events.id, horizon));
    expect(left).toEqual([]);
  });

  it("answers GET /api/events resumed below the horizon (header or since=) with a resync the contract describes", async () => {
    const horizon = await prunedThrough(db.current.database.db);
    for (const [query, headers] of [
      ["", { "last-event-id": String(horizon - 1) }],
      [`?since=${horizon - 1}`, {}],
    ] as const) {
      const { res, stream } = await subscribeRoute(query, headers);
      expect(res.status).toBe(200);
      await stream.until(() => stream.events().length > 0);
      const [first] = stream.events();
      expect(first!.event).toBe("resync");
      expect(JSON.parse(first!.data!)).toMatchObject({ data: { last_event_id: horizon - 1, pruned_through: horizon } });
    }
    // At the horizon: no resync (an anonymous subscriber has no private event to replay; the stream just opens).
    const { stream } = await subscribeRoute("", { "last-event-id": String(horizon) });
    const pub = await db.current.database.db.transaction((tx) =>
      appendEvent(tx, { type: "agent_updated", agentIds: [], subjectType: "agent", subjectId: randomUUID(), data: {} }),
    );
    await stream.until(() => stream.ids().includes(pub));
    expect(stream.events().map((f) => f.event)).toEqual(["agent_updated"]);
  });

  it("turns a sweep that runs during a replay into a resync after what was sent, never a gap", async () => {
    const other = randomUUID();
    const hub = new EventHub(db.current.database, { batch: 2, maxBacklogBytes: 1 });
    hubs.push(hub);
    await hub.start();
    const ids: number[] = [];
    for (let i = 0; i < 7; i++) {
      ids.push(
        await db.current.database.db.transaction((tx) =>
          appendEvent(tx, { type: "job.created", agentIds: [other], subjectType: "task", subjectId: "t", data: {} }),
        ),
      );
    }
    // A client that reads only when the test lets it: the replay waits for it after the first event.
    const written: string[] = [];
    let held = 0;
    const sink = {
      write(bytes: Uint8Array) {
        written.push(new TextDecoder().decode(bytes));
        held = 1_000;
        return true;
      },
      closed: false,
      get backlogBytes() {
        return held;
      },
      close() {},
    };
    await hub.subscribe(sink, {
      after: ids[0]! - 1,
      audience: { agentIds: new Set([other]), userId: null, subjects: null },
    });
    await vi.waitFor(() => expect(written).toHaveLength(1), { timeout: 5_000, interval: 5 });
    // Meanwhile the log is pruned to its newest row: the replay's second batch would find ids[1..5] gone.
    expect(await pruneEvents({ maxAgeDays: 0, maxRows: 1, batch: 100 }, db.current.database.db)).toMatchObject({
      prunedThrough: ids[5],
    });
    held = 0;
    await vi.waitFor(() => expect(written).toHaveLength(3), { timeout: 5_000, interval: 5 });
    // The two events of the batch read before the sweep, then resync: nothing after them is silently skipped.
    expect(written.map((w) => /^id: (\d+)\nevent: (\S+)/.exec(w)?.slice(1))).toEqual([
      [String(ids[0]), "job.created"],
      [String(ids[1]), "job.created"],
      [String(hub.position), "resync"],
    ]);
  });
});
