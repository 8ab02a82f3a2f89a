import { randomUUID } from "node:crypto";
import { afterAll, describe, expect, it, vi } from "vitest";
import { createDatabase, type Database } from "@/db/client";
import { setupTestDatabase } from "@/test/db";
import { EventHub } from "./hub";
import { appendEvent } from "./log";
import { sseResponse } from "./sse";
import { readStream } from "./test-stream";

const db = setupTestDatabase();
const hubs: EventHub[] = [];
const extra: Database[] = [];
afterAll(async () => {
  await Promise.all(hubs.map((h) => h.stop()));
  await Promise.all(extra.map((d) => d.close()));
});

function hubOn(database: Database, opts: ConstructorParameters<typeof EventHub>[1] = {}) {
  const hub = new EventHub(database, opts);
  hubs.push(hub);
  return hub;
}

/** A real SSE response subscribed to `hub`; `read` drains it as a client would. */
function listen(hub: EventHub, opts: Parameters<EventHub["subscribe"]>[1] = {}) {
  const ac = new AbortController();
  let sink: Parameters<Parameters<typeof sseResponse>[0]>[0] | undefined;
  const res = sseResponse(
    (s) => {
      sink = s;
      return hub.subscribe(s, opts);
    },
    { heartbeatMs: 60_000, signal: ac.signal },
  );
  return { stream: readStream(res), abort: () => ac.abort(), sink: () => sink };
}

function write(database: Database, type = "job.created", data: Record<string, unknown> = {}) {
  return database.db.transaction((tx) =>
    appendEvent(tx, { type, agentIds: [randomUUID()], subjectType: "job", subjectId: randomUUID(), data }),
  );
}

/** On Postgres a second connection pool on the same database, as a second app process would have. */
async function secondDatabase(): Promise<Database> {
  if (!db.current.url) return db.current.database; // PGlite: one in-process database, still a second hub
  const other = await createDatabase({ url: db.current.url, driver: "pg", migrate: false });
  extra.push(other);
  return other;
}

describe("EventHub", () => {
  it("delivers every id exactly once and in order to live and resuming subscribers under 50 concurrent writers", async () => {
    const hub = hubOn(db.current.database);
    await hub.start();
    const start = hub.position;
    const live = listen(hub);
    await vi.waitFor(() => expect(hub.subscriberCount).toBe(1));
    const writes = Array.from({ length: 50 }, (_, i) => write(db.current.database, "job.created", { i }));
    // A subscriber that resumes from the start while the writers are still committing.
    const resuming = listen(hub, { after: start });
    const ids = (await Promise.all(writes)).sort((a, b) => a - b);
    const last = ids[ids.length - 1]!;
    await live.stream.until(() => live.stream.ids().includes(last));
    await resuming.stream.until(() => resuming.stream.ids().includes(last));
    expect(live.stream.ids()).toEqual(ids);
    expect(resuming.stream.ids()).toEqual(ids);
  });

  it("lets two hubs on two connections to one database see each other's events", async () => {
    const other = await secondDatabase();
    const hubA = hubOn(db.current.database);
    const hubB = hubOn(other);
    await Promise.all([hubA.start(), hubB.start()]);
    const a = listen(hubA);
    const b = listen(hubB);
    await vi.waitFor(() => expect(hubA.subscriberCount + hubB.subscriberCount).toBe(2));
    const fromA = await write(db.current.database, "job.a");
    const fromB = await write(other, "job.b");
    for (const s of [a, b]) {
      await s.stream.until(() => s.stream.ids().includes(fromB));
      expect(s.stream.ids()).toEqual([fromA, fromB]);
    }
  });

  it("reads each new row once however many subscribers, and encodes it once", async () => {
    const hub = hubOn(db.current.database);
    await hub.start();
    const subs = Array.from({ length: 200 }, () => listen(hub));
    await vi.waitFor(() => expect(hub.subscriberCount).toBe(200));
    const id = await write(db.current.database, "job.fanout", { n: 1 });
    await Promise.all(subs.map((s) => s.stream.until(() => s.stream.ids().includes(id))));
    const bodies = new Set(subs.map((s) => s.stream.events()[0]!.data));
    expect(bodies.size).toBe(1);
    for (const s of subs) s.abort();
    await vi.waitFor(() => expect(hub.subscriberCount).toBe(0));
  });

  it("drops a subscriber that stops reading without holding up the others; it can resume exactly", async () => {
    const hub = hubOn(db.current.database, { maxBacklogBytes: 4_000 });
    await hub.start();
    const from = hub.position;
    const reader = listen(hub);
    const stalled = listen(hub); // never read
    await vi.waitFor(() => expect(hub.subscriberCount).toBe(2));
    const big = "x".repeat(1_000);
    const ids: number[] = [];
    // The reader reads while the events are written; the stalled one never does.
    const reading = reader.stream.until(() => reader.stream.ids().length === 10);
    for (let i = 0; i < 10; i++) ids.push(await write(db.current.database, "job.big", { big, i }));
    await reading;
    expect(reader.stream.ids()).toEqual(ids);
    await vi.waitFor(() => expect(stalled.sink()?.closed).toBe(true));
    expect(hub.subscriberCount).toBe(1);
    // What the stalled client received before the drop, then a resume from its last id: the full sequence.
    await stalled.stream.until((_f) => stalled.stream.ended());
    const got = stalled.stream.ids();
    const resumed = listen(hub, { after: got.length ? got[got.length - 1]! : from });
    await resumed.stream.until(() => resumed.stream.ids().includes(ids[9]!));
    expect([...got, ...resumed.stream.ids()]).toEqual(ids);
  });

  it("catches up by polling when a notification is lost", async () => {
    const hub = hubOn(db.current.database, { pollMs: 50 });
    await hub.start();
    const s = listen(hub);
    await vi.waitFor(() => expect(hub.subscriberCount).toBe(1));
    // Insert without NOTIFY, as if the notification had been lost.
    const id = await db.current.database.db.transaction(async (tx) => {
      const { events } = await import("@/db/schema");
      const [row] = await tx
        .insert(events)
        .values({ type: "job.quiet", agentIds: [], subjectType: "job", subjectId: "x", data: {} })
        .returning({ id: events.id });
      return row!.id;
    });
    await s.stream.until(() => s.stream.ids().includes(id));
  });

  it("pages through more rows than one read returns", async () => {
    const hub = hubOn(db.current.database, { batch: 7 });
    await hub.start();
    const from = hub.position;
    const ids = await db.current.database.db.transaction(async (tx) => {
      const { appendEvents } = await import("./log");
      return appendEvents(
        tx,
        Array.from({ length: 30 }, (_, i) => ({
          type: "job.bulk",
          agentIds: [],
          subjectType: "job",
          subjectId: String(i),
          data: {},
        })),
      );
    });
    const live = listen(hub, { after: from });
    await live.stream.until(() => live.stream.ids().includes(ids[29]!));
    expect(live.stream.ids()).toEqual(ids);
  });

  it("lets go of its LISTEN connection when idle and starts again for the next subscriber", async () => {
    const hub = hubOn(db.current.database, { idleStopMs: 20 });
    const first = listen(hub);
    await vi.waitFor(() => expect(hub.subscriberCount).toBe(1));
    expect(hub.listening).toBe(true);
    first.abort();
    await vi.waitFor(() => expect(hub.listening).toBe(false));
    const second = listen(hub);
    await vi.waitFor(() => expect(hub.subscriberCount).toBe(1));
    expect(hub.listening).toBe(true);
    const id = await write(db.current.database, "job.again");
    await second.stream.until(() => second.stream.ids().includes(id));
    expect(second.stream.ids()).toEqual([id]);
  });
});
