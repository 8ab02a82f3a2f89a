import { randomUUID } from "node:crypto";
import { afterAll, describe, expect, it, vi } from "vitest";
import { setupTestDatabase } from "@/test/db";
import { readStream } from "@/test/fixtures/event-stream";
import type { Tx } from "@/db/client";
import { EventHub } from "./hub";
import { appendEvent } from "./log";
import { EventLogReader } from "./read";
import { sseResponse } from "./sse";

// Concurrent open transactions need a server: PGlite runs one transaction at a time.
const db = setupTestDatabase();
const hubs: EventHub[] = [];
afterAll(async () => {
  await Promise.all(hubs.map((h) => h.stop()));
});

const PARTY = randomUUID();
const event = (n: number) => ({
  type: "job.horizon",
  agentIds: [PARTY],
  subjectType: "task",
  subjectId: randomUUID(),
  data: { n },
});

/**
 * A transaction that appends and then stays open until told to commit or roll back. Resolves `id` once the
 * append has run.
 */
function openWriter(n: number) {
  let finish!: (commit: boolean) => void;
  const decided = new Promise<boolean>((r) => (finish = r));
  let gotId!: (id: number) => void;
  const id = new Promise<number>((r) => (gotId = r));
  const done = db.current.database.db
    .transaction(async (tx: Tx) => {
      gotId(await appendEvent(tx, event(n)));
      if (!(await decided)) tx.rollback();
    })
    .catch((err: Error) => {
      if (!/rollback/i.test(err.message)) throw err;
    });
  return { id, commit: () => (finish(true), done), rollback: () => (finish(false), done) };
}

const write = (n: number) => db.current.database.db.transaction((tx) => appendEvent(tx, event(n)));

describe("reading the log up to the horizon below writers in flight", () => {
  it("does not pass an open transaction's earlier id, and reads it in order once it commits", async () => {
    const reader = new EventLogReader(db.current.database.db);
    const start = await reader.settle();
    const early = openWriter(1);
    const earlyId = await early.id;
    const laterId = await write(2); // committed, visible, with a higher id
    expect(laterId).toBeGreaterThan(earlyId);

    const before = await reader.next(start, 100);
    expect(before.map((r) => r.id)).not.toContain(laterId);
    expect(reader.horizon).toBeLessThan(earlyId);

    await early.commit();
    await reader.next(start, 100); // the step that sees the writer gone
    const after = await reader.next(start, 100);
    expect(after.map((r) => r.id)).toEqual([earlyId, laterId]);
  });

  it("moves past a rolled-back writer's id", async () => {
    const reader = new EventLogReader(db.current.database.db);
    const start = await reader.settle();
    const aborted = openWriter(3);
    const abortedId = await aborted.id;
    const laterId = await write(4);
    expect((await reader.next(start, 100)).map((r) => r.id)).toEqual([]);
    await aborted.rollback();
    await reader.next(start, 100);
    const rows = await reader.next(start, 100);
    expect(rows.map((r) => r.id)).toEqual([laterId]);
    expect(reader.horizon).toBeGreaterThan(abortedId);
  });

  it("delivers to a live subscriber every id in order when a later id commits first", async () => {
    const hub = new EventHub(db.current.database);
    hubs.push(hub);
    await hub.start();
    const from = hub.position;
    const ac = new AbortController();
    const opts = { audience: { agentIds: new Set([PARTY]), userId: null, subjects: null } };
    const live = readStream(sseResponse((s) => hub.subscribe(s, opts), { heartbeatMs: 60_000, signal: ac.signal }));
    await vi.waitFor(() => expect(hub.subscriberCount).toBe(1));
    const early = openWriter(5);
    const earlyId = await early.id;
    const laterId = await write(6);
    // A read of the log now (as the later commit's notification asks) must hold the later id back.
    await hub.wake();
    expect(hub.position).toBeLessThan(earlyId);
    const resumed = readStream(
      sseResponse((s) => hub.subscribe(s, { ...opts, after: from }), { heartbeatMs: 60_000, signal: ac.signal }),
    );
    await early.commit();
    await live.until(() => live.ids().includes(laterId) && live.ids().includes(earlyId));
    await resumed.until(() => resumed.ids().includes(laterId) && resumed.ids().includes(earlyId));
    expect(live.ids()).toEqual([earlyId, laterId]);
    expect(resumed.ids()).toEqual([earlyId, laterId]);
    ac.abort();
  });
});
