import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { setDatabase } from "@/db/client";
import { openTestDatabase, type TestDatabase } from "@/test/db";
import { EVENTS_CHANNEL } from "./channel";
import { getEventHub, stopEventHub } from "./hub";
import { listen } from "./listen";
import { sseResponse } from "./sse";
import { dataVersion, dataVersionIsLive } from "./version";

/** Waits for a condition by re-checking it after each turn of the event loop, within a bounded time. */
async function until(check: () => Promise<boolean> | boolean, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((r) => setImmediate(r));
  }
}

describe("one LISTEN per channel per process", () => {
  let base: TestDatabase;
  /** Connections of this database whose last statement was `LISTEN <channel>`. */
  const listeners = async (channel: string) => {
    const rows = await base.database.db.execute(
      sql`SELECT count(*)::int AS n FROM pg_stat_activity
          WHERE datname = current_database() AND query = ${`LISTEN ${channel}`}`,
    );
    return (rows as unknown as { rows: { n: number }[] }).rows[0]?.n ?? 0;
  };

  beforeAll(async () => {
    base = await openTestDatabase();
    setDatabase(base.database);
  });
  afterAll(async () => {
    await stopEventHub();
    setDatabase(undefined);
    await base?.database.close();
  });

  it("fans one connection out to every subscriber and releases it when the last one leaves", async () => {
    const channel = "listen_share_test";
    const got: string[][] = [[], [], []];
    const stops = await Promise.all(
      got.map((into) => listen(base.database, channel, { onNotify: (p) => into.push(p) })),
    );
    expect(await listeners(channel)).toBe(1);
    await base.database.db.execute(sql`SELECT pg_notify(${channel}, 'hello')`);
    await until(() => got.every((g) => g.includes("hello")));
    await stops[0]!();
    await stops[1]!();
    expect(await listeners(channel)).toBe(1);
    await base.database.db.execute(sql`SELECT pg_notify(${channel}, 'again')`);
    await until(() => got[2]!.includes("again"));
    expect(got[0]).toEqual(["hello"]);
    await stops[2]!();
    await until(async () => (await listeners(channel)) === 0);
  });

  it("serves the event hub and the data version on one connection", async () => {
    const hub = await getEventHub();
    const res = sseResponse((sink) => void hub.subscribe(sink), { heartbeatMs: 60_000 });
    await until(() => hub.subscriberCount === 1);
    await dataVersion();
    await until(dataVersionIsLive);
    expect(await listeners(EVENTS_CHANNEL)).toBe(1);
    await res.body?.cancel();
  });
});
