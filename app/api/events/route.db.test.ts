import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { describe, expect, it, vi } from "vitest";
import { getDb } from "@/db/client";
import { reloadEnv } from "@/lib/env";
import { inTransaction } from "@/lib/db";
import { getEventHub } from "@/lib/events/hub";
import { appendEvent } from "@/lib/events/log";
import { setupEventSubscriptions } from "@/test/fixtures/event-stream";
import { setupTestDatabase } from "@/test/db";
import { call } from "@/test/http";
import { GET } from "./route";

setupTestDatabase();

const subscribe = setupEventSubscriptions(GET);

// These tests are about the stream's mechanics, seen by an anonymous subscriber: catalogue (public) events.
// Who receives the private ones is audience.db.test.ts.
function emit(type: string, agentIds: string[] = [], data: Record<string, unknown> = {}) {
  return inTransaction((tx) =>
    appendEvent(tx, { type, agentIds, subjectType: "agent", subjectId: randomUUID(), data }),
  );
}

async function head(): Promise<number> {
  const db = await getDb();
  const rows = await db.execute<{ max: string | null }>(sql`SELECT max(id)::text AS max FROM events`);
  const list =
    (rows as unknown as { rows?: { max: string | null }[] }).rows ?? (rows as unknown as { max: string | null }[]);
  return Number(list[0]?.max ?? 0);
}

async function waitForSubscribers(n: number) {
  const hub = await getEventHub();
  await vi.waitFor(() => expect(hub.subscriberCount).toBe(n), { timeout: 5_000, interval: 5 });
}

describe("GET /api/events", () => {
  it("frames every event with id, event and JSON data (the Event resource)", async () => {
    const agent = randomUUID();
    const { res, stream } = await subscribe();
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/event-stream/);
    await waitForSubscribers(1);
    const id = await emit("agent_updated", [agent], { fields: ["name"] });
    const [frame] = await stream.until((f) => f.some((x) => x.id !== undefined)).then(() => stream.events());
    expect(frame).toMatchObject({ id: String(id), event: "agent_updated" });
    const data = JSON.parse(frame!.data!);
    expect(data).toMatchObject({
      id,
      type: "agent_updated",
      subject_type: "agent",
      agent_ids: [agent],
      data: { fields: ["name"] },
    });
    expect(new Date(data.created_at).toISOString()).toBe(data.created_at);
    expect(stream.frames[0]?.retry).toBe(2000);
  });

  it("filters by type (repeated or comma-separated) and by agent", async () => {
    const a = randomUUID();
    const b = randomUUID();
    const from = await head();
    const byType = await subscribe(`?type=agent_registered,service_created&last_event_id=${from}`);
    const byRepeat = await subscribe(`?type=agent_registered&type=service_created&last_event_id=${from}`);
    const byAgent = await subscribe(`?agent=${a}&last_event_id=${from}`);
    const both = await subscribe(`?agent=${b}&type=service_created&last_event_id=${from}`);
    const created = await emit("agent_registered", [a]);
    const started = await emit("agent_updated", [a, b]);
    const completed = await emit("service_created", [b]);
    const end = await emit("service_created", [a]);
    await byType.stream.until(() => byType.stream.ids().includes(end));
    await byRepeat.stream.until(() => byRepeat.stream.ids().includes(end));
    await byAgent.stream.until(() => byAgent.stream.ids().includes(end));
    await both.stream.until(() => both.stream.ids().includes(completed));
    expect(byType.stream.ids()).toEqual([created, completed, end]);
    expect(byRepeat.stream.ids()).toEqual([created, completed, end]);
    expect(byAgent.stream.ids()).toEqual([created, started, end]);
    expect(both.stream.ids()).toEqual([completed]);
  });

  it("rejects a malformed filter or Last-Event-ID with the one error format", async () => {
    const bad = await call(GET, "/api/events", { query: { agent: "nope" } });
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ error: "ValidationError" });
    const badId = await call(GET, "/api/events", { headers: { "last-event-id": "x1" } });
    expect(badId.status).toBe(400);
  });

  it("resumes after Last-Event-ID with exactly the rest, in order", async () => {
    const ids: number[] = [];
    const types = ["agent_updated", "agent_status_changed", "service_updated"];
    for (let i = 0; i < 12; i++) ids.push(await emit(types[i % 3]!));
    const cut = ids[4]!;
    const viaHeader = await subscribe("", { "last-event-id": String(cut) });
    const viaQuery = await subscribe(`?last_event_id=${cut}`);
    const last = ids[ids.length - 1]!;
    await viaHeader.stream.until(() => viaHeader.stream.ids().includes(last));
    await viaQuery.stream.until(() => viaQuery.stream.ids().includes(last));
    expect(viaHeader.stream.ids()).toEqual(ids.slice(5));
    expect(viaQuery.stream.ids()).toEqual(ids.slice(5));
    // and it stays live afterwards without repeating
    const next = await emit("agent_updated");
    await viaHeader.stream.until(() => viaHeader.stream.ids().includes(next));
    expect(viaHeader.stream.ids()).toEqual([...ids.slice(5), next]);
  });

  it("replays the whole log with since=0", async () => {
    const last = await emit("agent_updated");
    const all = await subscribe("?since=0");
    await all.stream.until(() => all.stream.ids().includes(last));
    const got = all.stream.ids();
    expect(got.length).toBe(new Set(got).size);
    expect([...got].sort((x, y) => x - y)).toEqual(got);
    expect(got[0]).toBe(1);
  });

  it("sends a heartbeat comment every EVENTS_HEARTBEAT_MS", async () => {
    const before = process.env.EVENTS_HEARTBEAT_MS;
    process.env.EVENTS_HEARTBEAT_MS = "40";
    reloadEnv();
    try {
      const { stream } = await subscribe();
      await stream.until((f) => f.filter((x) => x.comment === "heartbeat").length >= 2);
    } finally {
      if (before === undefined) delete process.env.EVENTS_HEARTBEAT_MS;
      else process.env.EVENTS_HEARTBEAT_MS = before;
      reloadEnv();
    }
  });

  it("forgets a subscriber when the client goes away", async () => {
    await waitForSubscribers(0);
    const one = await subscribe();
    const two = await subscribe();
    await waitForSubscribers(2);
    one.abort();
    await waitForSubscribers(1);
    await two.stream.cancel();
    await waitForSubscribers(0);
  });
});
