import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDatabase, setDatabase, type Database } from "@/db/client";
import { inTransaction } from "@/lib/db";
import { openTestDatabase, type TestDatabase } from "@/test/db";
import { appendEvent } from "./log";
import { dataVersion, dataVersionIsLive } from "./version";

const event = { type: "test_event", agentIds: [], subjectType: "test", subjectId: "x", data: {} };

/** Waits for a condition by re-checking it after each turn of the event loop, within a bounded time. */
async function until(check: () => Promise<boolean>, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((r) => setImmediate(r));
  }
}

describe("data version (moves with every commit, kept in memory)", () => {
  let base: TestDatabase;
  let other: Database; // a second app process on the same database

  beforeAll(async () => {
    base = await openTestDatabase();
    setDatabase(base.database);
    other = await createDatabase({ url: base.url, driver: "pg", migrate: false });
  });
  afterAll(async () => {
    setDatabase(undefined);
    await other?.close();
    await base?.database.close();
  });

  it("moves at once with this process's own commits (read-your-writes)", async () => {
    const before = await dataVersion();
    const id = await inTransaction((tx) => appendEvent(tx, event));
    const after = await dataVersion();
    expect(after).toBeGreaterThan(before);
    expect(after).toBeGreaterThanOrEqual(id);
  });

  it("follows another process's commits through the notification", async () => {
    await dataVersion();
    await until(dataVersionIsLive); // from here on, reads come from memory only
    const before = await dataVersion();
    await other.db.transaction((tx) => appendEvent(tx, event));
    await until(async () => (await dataVersion()) > before);
  });

  it("falls back to reading the log while its LISTEN connection is lost, then listens again", async () => {
    await until(dataVersionIsLive);
    const killed = await base.database.db.execute(
      sql`SELECT pg_terminate_backend(pid) AS ok FROM pg_stat_activity
          WHERE datname = current_database() AND query LIKE 'LISTEN agent_market_events%' AND pid <> pg_backend_pid()`,
    );
    expect((killed as unknown as { rows: unknown[] }).rows.length).toBeGreaterThan(0);
    await until(async () => !(await dataVersionIsLive())); // it noticed, and reads the log meanwhile
    // Whatever happens to notifications now, a commit elsewhere must be seen by the next reads.
    const before = await dataVersion();
    await other.db.transaction((tx) => appendEvent(tx, event));
    await until(async () => (await dataVersion()) > before);
    // And once reconnected, notifications flow again.
    await until(async () => {
      const rows = await base.database.db.execute(
        sql`SELECT count(*)::int AS n FROM pg_stat_activity
            WHERE datname = current_database() AND query LIKE 'LISTEN agent_market_events%'`,
      );
      return ((rows as unknown as { rows: { n: number }[] }).rows[0]?.n ?? 0) > 0;
    });
    await until(dataVersionIsLive);
    const again = await dataVersion();
    await other.db.transaction((tx) => appendEvent(tx, event));
    await until(async () => (await dataVersion()) > again);
  });

  it("moves when a transaction commits after one that drew a higher id (ids are not in commit order)", async () => {
    await until(dataVersionIsLive);
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let drawn!: (id: number) => void;
    const earlyId = new Promise<number>((r) => (drawn = r));
    const early = other.db.transaction(async (tx) => {
      drawn(await appendEvent(tx, event));
      await gate;
    });
    const early_ = await earlyId;
    const later = await other.db.transaction((tx) => appendEvent(tx, event));
    expect(later).toBeGreaterThan(early_);
    await until(async () => (await dataVersion()) >= later);
    const seen = await dataVersion();
    release();
    await early;
    await until(async () => (await dataVersion()) > seen);
  });
});
