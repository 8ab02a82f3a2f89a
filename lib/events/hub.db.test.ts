import { randomUUID } from "node:crypto";
import { afterAll, describe, expect, it, vi } from "vitest";
import { createDatabase, type Database } from "@/db/client";
import { setupTestDatabase } from "@/test/db";
import type { Audience } from "./audience";
import { EventHub } from "./hub";
import { appendEvent } from "./log";
import { sseResponse } from "./sse";
import { readStream } from "@/test/fixtures/event-stream";

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

// The fan-out tests write private events of one party and listen as that party.
const PARTY = randomUUID();
const party = (): Audience => ({ agentIds: new Set([PARTY]), userId: null, subjects: null });

/** A real SSE response subscribed to `hub`; `read` drains it as a client would. */
function listen(hub: EventHub, opts: Parameters<EventHub["subscribe"]>[1] = { audience: party() }) {
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
    appendEvent(tx, { type, agentIds: [PARTY, randomUUID()], subjectType: "task", subjectId: randomUUID(), data }),
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
    const resuming = listen(hub, { after: start, audience: party() });
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
    const resumed = listen(hub, { after: got.length ? got[got.length - 1]! : from, audience: party() });
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
        .values({ type: "job.quiet", agentIds: [PARTY], subjectType: "task", subjectId: "x", data: {} })
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
          agentIds: [PARTY],
          subjectType: "task",
          subjectId: String(i),
          data: {},
        })),
      );
    });
    const live = listen(hub, { after: from, audience: party() });
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

  it("sends a private event to its parties only and a public one to everyone, under type and agent filters", async () => {
    const hub = hubOn(db.current.database);
    await hub.start();
    const a = randomUUID();
    const b = randomUUID();
    const person = randomUUID();
    const anonymous = listen(hub, {});
    const partyA = listen(hub, { audience: { agentIds: new Set([a]), userId: null, subjects: null } });
    const keyA = listen(hub, { audience: { agentIds: new Set([a]), userId: null, subjects: new Set(["message"]) } });
    const personU = listen(hub, { audience: { agentIds: new Set(), userId: person, subjects: null } });
    const aOnlyB = listen(hub, { agentId: b, audience: { agentIds: new Set([a]), userId: null, subjects: null } });
    await vi.waitFor(() => expect(hub.subscriberCount).toBe(5));
    const append = (e: Parameters<typeof appendEvent>[1]) =>
      db.current.database.db.transaction((tx) => appendEvent(tx, e));
    const pub = await append({ type: "agent_updated", agentIds: [b], subjectType: "agent", subjectId: b, data: {} });
    const jobAB = await append({
      type: "job_started",
      agentIds: [a, b],
      subjectType: "task",
      subjectId: "j",
      data: {},
    });
    const msgA = await append({
      type: "message_created",
      agentIds: [a],
      subjectType: "message",
      subjectId: "m",
      data: {},
    });
    const mine = await append({
      type: "job_created",
      agentIds: [b],
      userIds: [person],
      subjectType: "task",
      subjectId: "k",
      data: {},
    });
    const end = await append({
      type: "service_created",
      agentIds: [a],
      subjectType: "service",
      subjectId: "s",
      data: {},
    });
    for (const s of [anonymous, partyA, keyA, personU]) await s.stream.until(() => s.stream.ids().includes(end));
    await aOnlyB.stream.until(() => aOnlyB.stream.ids().includes(jobAB));
    expect(anonymous.stream.ids()).toEqual([pub, end]);
    expect(partyA.stream.ids()).toEqual([pub, jobAB, msgA, end]);
    expect(keyA.stream.ids()).toEqual([pub, msgA, end]); // its scopes allow messages, not jobs
    expect(personU.stream.ids()).toEqual([pub, mine, end]);
    // ?agent=b narrows party A's stream to what concerns b; it does not add b's private events (`mine`).
    const last = await append({ type: "agent_updated", agentIds: [b], subjectType: "agent", subjectId: b, data: {} });
    await aOnlyB.stream.until(() => aOnlyB.stream.ids().includes(last));
    expect(aOnlyB.stream.ids()).toEqual([pub, jobAB, last]);
  });

  it("replays under the audience exactly as it streams live", async () => {
    const hub = hubOn(db.current.database, { batch: 3 });
    await hub.start();
    const a = randomUUID();
    const from = hub.position;
    const audience = () => ({ agentIds: new Set([a]), userId: null, subjects: null });
    const live = listen(hub, { after: from, audience: audience() });
    const visible: number[] = [];
    const hidden: number[] = [];
    for (let i = 0; i < 24; i++) {
      const isPublic = i % 4 === 0;
      const mine = i % 3 === 0;
      const id = await db.current.database.db.transaction((tx) =>
        appendEvent(tx, {
          type: isPublic ? "agent_updated" : "job_started",
          agentIds: [mine ? a : randomUUID()],
          subjectType: isPublic ? "agent" : "task",
          subjectId: String(i),
          data: {},
        }),
      );
      (isPublic || mine ? visible : hidden).push(id);
    }
    const last = visible[visible.length - 1]!;
    await live.stream.until(() => live.stream.ids().includes(last));
    expect(live.stream.ids()).toEqual(visible);
    // Resuming from any point under the same audience gives exactly the rest.
    const cut = visible[3]!;
    const resumed = listen(hub, { after: cut, audience: audience() });
    await resumed.stream.until(() => resumed.stream.ids().includes(last));
    expect(resumed.stream.ids()).toEqual(visible.slice(4));
    for (const id of hidden) expect(resumed.stream.ids()).not.toContain(id);
  });

  it("follows the agent a person registers while subscribed, live and on replay", async () => {
    const hub = hubOn(db.current.database);
    await hub.start();
    const person = randomUUID();
    const agent = randomUUID();
    const from = hub.position;
    const audience = () => ({ agentIds: new Set<string>(), userId: person, subjects: null });
    const live = listen(hub, { audience: audience() });
    const jobsOnly = listen(hub, { types: ["job_created"], audience: audience() });
    await vi.waitFor(() => expect(hub.subscriberCount).toBe(2));
    const append = (e: Parameters<typeof appendEvent>[1]) =>
      db.current.database.db.transaction((tx) => appendEvent(tx, e));
    const registered = await append({
      type: "agent_registered",
      agentIds: [agent],
      userIds: [person],
      subjectType: "agent",
      subjectId: agent,
      data: { name: "new", owner_user_id: person },
    });
    const hired = await append({
      type: "job_created",
      agentIds: [agent],
      subjectType: "task",
      subjectId: "j",
      data: {},
    });
    const other = await append({
      type: "job_created",
      agentIds: [randomUUID()],
      subjectType: "task",
      subjectId: "o",
      data: {},
    });
    await live.stream.until(() => live.stream.ids().includes(hired));
    await jobsOnly.stream.until(() => jobsOnly.stream.ids().includes(hired));
    const replay = listen(hub, { after: from, types: ["job_created"], audience: audience() });
    await replay.stream.until(() => replay.stream.ids().includes(hired));
    expect(live.stream.ids()).toEqual([registered, hired]);
    expect(jobsOnly.stream.ids()).toEqual([hired]);
    expect(replay.stream.ids()).toEqual([hired]);
    const marker = await append({
      type: "job_created",
      agentIds: [agent],
      subjectType: "task",
      subjectId: "m",
      data: {},
    });
    await replay.stream.until(() => replay.stream.ids().includes(marker));
    expect(replay.stream.ids()).toEqual([hired, marker]);
    expect(replay.stream.ids()).not.toContain(other);
  });

  it("serves 10,000 subscribers: a private event reaches its party's only, a public one everyone's", async () => {
    const hub = hubOn(db.current.database);
    await hub.start();
    const written = new Map<number, number[]>(); // subscriber index -> ids written
    const sink = (i: number) => ({
      closed: false,
      backlogBytes: 0,
      close() {},
      write(bytes: Uint8Array) {
        const id = Number(/^id: (\d+)/.exec(new TextDecoder().decode(bytes))?.[1]);
        written.set(i, [...(written.get(i) ?? []), id]);
        return true;
      },
    });
    const parties = Array.from({ length: 100 }, () => randomUUID());
    for (let i = 0; i < 10_000; i++) {
      // Every hundredth subscriber is an agent's key; the rest are anonymous.
      const audience =
        i % 100 === 0 ? { agentIds: new Set([parties[i / 100]!]), userId: null, subjects: null } : undefined;
      await hub.subscribe(sink(i), { audience });
    }
    const append = (e: Parameters<typeof appendEvent>[1]) =>
      db.current.database.db.transaction((tx) => appendEvent(tx, e));
    const privates: number[] = [];
    for (const p of parties.slice(0, 10)) {
      privates.push(await append({ type: "task_done", agentIds: [p], subjectType: "task", subjectId: p, data: {} }));
    }
    const pub = await append({ type: "agent_updated", agentIds: [], subjectType: "agent", subjectId: "a", data: {} });
    await hub.wake();
    await vi.waitFor(() => expect(written.get(9_999)).toEqual([pub]));
    for (let i = 0; i < 10_000; i++) {
      const expected = i % 100 === 0 && i / 100 < 10 ? [privates[i / 100]!, pub] : [pub];
      expect(written.get(i)).toEqual(expected);
    }
  });
});
