import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { agents } from "@/db/schema";
import { openTestDatabase, type TestDatabase } from "@/test/db";
import { startNeonProxy } from "@/test/neon-proxy";
import { createDatabase, pickDriver, type Database } from "./client";

// The Neon serverless driver (Pool over WebSockets) against the real local PostgreSQL through a WS-to-TCP proxy.
describe("Neon driver through a WebSocket proxy", () => {
  let base: TestDatabase;
  let proxy: Awaited<ReturnType<typeof startNeonProxy>>;
  let neon: Database;

  beforeAll(async () => {
    base = await openTestDatabase();
    proxy = await startNeonProxy();
    neon = await createDatabase({ url: base.url, driver: "neon", neonWsProxy: proxy.url, migrate: false });
  });
  afterAll(async () => {
    await neon?.close();
    await proxy?.close();
    await base?.database.close();
  });

  it("picks the driver from the URL or the override", () => {
    expect(pickDriver({})).toBe("pglite");
    expect(pickDriver({ url: "postgres://u@127.0.0.1/db" })).toBe("pg");
    expect(pickDriver({ url: "postgres://u@ep-cool-1.us-east-2.aws.neon.tech/db" })).toBe("neon");
    expect(pickDriver({ url: "postgres://u@127.0.0.1/db", driver: "neon" })).toBe("neon");
  });

  it("runs queries over the proxy", async () => {
    const rows = await neon.db.execute(sql`SELECT 41 + 1 AS answer`);
    expect((rows as unknown as { rows: { answer: number }[] }).rows[0]?.answer).toBe(42);
    expect(proxy.connections()).toBeGreaterThan(0);
  });

  it("keeps interactive transactions: a rollback leaves nothing behind", async () => {
    await expect(
      neon.db.transaction(async (tx) => {
        await tx.insert(agents).values({ name: "neon-rollback" });
        const seen = await tx
          .select()
          .from(agents)
          .where(sql`name = 'neon-rollback'`);
        expect(seen).toHaveLength(1);
        throw new Error("roll back");
      }),
    ).rejects.toThrow("roll back");
    const after = await base.database.db
      .select()
      .from(agents)
      .where(sql`name = 'neon-rollback'`);
    expect(after).toHaveLength(0);
  });

  it("commits a transaction visible to the pg driver", async () => {
    await neon.db.transaction(async (tx) => {
      await tx.insert(agents).values({ name: "neon-commit" });
    });
    const after = await base.database.db
      .select()
      .from(agents)
      .where(sql`name = 'neon-commit'`);
    expect(after).toHaveLength(1);
  });

  it("delivers LISTEN/NOTIFY over the Neon client", async () => {
    let deliver!: (payload: string) => void;
    const got = new Promise<string>((resolve) => (deliver = resolve));
    const unlisten = await neon.listen("neon_test_channel", (payload) => deliver(payload));
    try {
      await base.database.db.execute(sql`SELECT pg_notify('neon_test_channel', 'hello')`);
      expect(await got).toBe("hello");
    } finally {
      await unlisten();
    }
  });
});
