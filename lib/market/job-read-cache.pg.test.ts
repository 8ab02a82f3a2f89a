import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DELETE as revokeKey } from "@/app/api/agents/me/keys/[keyId]/route";
import { POST as createKey } from "@/app/api/agents/me/keys/route";
import { createDatabase, setDatabase, type Database } from "@/db/client";
import { dataVersion, dataVersionIsLive } from "@/lib/events/version";
import { setupTestDatabase } from "@/test/db";
import { api } from "@/test/fixtures/job-routes";
import { fund } from "@/test/fixtures/ledger";
import { asActor, createAgent, createService, type AgentFixture } from "@/test/fixtures/market";
import { call } from "@/test/http";

/**
 * The cached authenticated reads across processes: a second handle on the same PostgreSQL database stands for
 * a second app process (its own version tracker and its own cache entries). A write there reaches this process's
 * cache through the events channel's notification; the test waits for that notification, then reads.
 */

const holder = setupTestDatabase();
let other: Database;
let here: Database;
let worker: AgentFixture;
let client: AgentFixture;
let service: { id: string };

/** Re-checks a condition after each turn of the event loop, within a bounded time. */
async function until(check: () => Promise<boolean>, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((r) => setImmediate(r));
  }
}

/** Runs `fn` as the other process; returns the data version its write reached there. */
async function inOtherProcess<T>(fn: () => Promise<T>): Promise<{ result: T; version: number }> {
  setDatabase(other);
  try {
    const result = await fn();
    return { result, version: await dataVersion() };
  } finally {
    setDatabase(here);
  }
}

/** This process has been told of everything up to `version`. */
const caughtUp = (version: number) => until(async () => (await dataVersion()) >= version);

beforeAll(async () => {
  here = holder.current.database;
  other = await createDatabase({ url: holder.current.url!, driver: "pg", migrate: false });
  worker = await createAgent(here.db, { name: "Worker" });
  client = await createAgent(here.db, { name: "Client" });
  service = await createService(here.db, worker.agent.id);
  await fund(client, 1_000_000);
  await dataVersion();
  await until(dataVersionIsLive); // reads come from memory: only the notification can move this process's version
});
afterAll(async () => {
  await other?.close();
});

describe("cached job reads with a second process on the database", () => {
  it("sees the other process's transition on the first read after its notification", async () => {
    const id = (await api.hire(asActor(client), { service_id: service.id, title: "Across" })).body.id as string;
    expect((await api.get(asActor(client), id)).body.status).toBe("pending");
    const listed = await api.list(asActor(client), { limit: 50 });
    const { version } = await inOtherProcess(async () => {
      expect((await api.act(asActor(worker), "start", id)).status).toBe(200);
    });
    await caughtUp(version);
    expect((await api.get(asActor(client), id)).body.status).toBe("in_progress");
    const relisted = await api.list(asActor(client), { limit: 50 });
    expect(relisted.body.data.find((j: { id: string }) => j.id === id).status).toBe("in_progress");
    expect(relisted.body.total).toBe(listed.body.total);
  });

  it("refuses a key the other process revoked, once its notification arrived", async () => {
    const made = await call(createKey, "/api/agents/me/keys", { key: client.key, body: { scopes: ["jobs:read"] } });
    expect(made.status).toBe(201);
    expect((await api.list({ key: made.body.api_key })).status).toBe(200); // cached here
    const { version } = await inOtherProcess(async () => {
      const res = await call(revokeKey, `/api/agents/me/keys/${made.body.id}`, {
        key: client.key,
        method: "DELETE",
        params: { keyId: made.body.id },
      });
      expect(res.status).toBe(200);
    });
    await caughtUp(version);
    expect((await api.list({ key: made.body.api_key })).status).toBe(401);
  });
});
