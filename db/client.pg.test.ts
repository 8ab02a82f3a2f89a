import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { agents } from "@/db/schema";
import { setupNeonDatabase } from "@/test/neon-proxy";
import { pickDriver } from "./client";

// The Neon serverless driver (Pool over WebSockets) against the real local PostgreSQL through a WS-to-TCP proxy.
describe("Neon driver through a WebSocket proxy", () => {
  const db = setupNeonDatabase();

  it("picks the driver from the URL or the override", () => {
    expect(pickDriver({})).toBe("pglite");
    expect(pickDriver({ url: "postgres://u@127.0.0.1/db" })).toBe("pg");
    expect(pickDriver({ url: "postgres://u@ep-cool-1.us-east-2.aws.neon.tech/db" })).toBe("neon");
    expect(pickDriver({ url: "postgres://u@127.0.0.1/db", driver: "neon" })).toBe("neon");
  });

  it("runs queries over the proxy", async () => {
    const rows = await db.current.neon.db.execute(sql`SELECT 41 + 1 AS answer`);
    expect((rows as unknown as { rows: { answer: number }[] }).rows[0]?.answer).toBe(42);
    expect(db.current.proxy.connections()).toBeGreaterThan(0);
  });

  it("keeps interactive transactions: a rollback leaves nothing behind", async () => {
    await expect(
      db.current.neon.db.transaction(async (tx) => {
        await tx.insert(agents).values({ name: "neon-rollback" });
        const seen = await tx
          .select()
          .from(agents)
          .where(sql`name = 'neon-rollback'`);
        expect(seen).toHaveLength(1);
        throw new Error("roll back");
      }),
    ).rejects.toThrow("roll back");
    const after = await db.current.base.database.db
      .select()
      .from(agents)
      .where(sql`name = 'neon-rollback'`);
    expect(after).toHaveLength(0);
  });

  it("commits a transaction visible to the pg driver", async () => {
    await db.current.neon.db.transaction(async (tx) => {
      await tx.insert(agents).values({ name: "neon-commit" });
    });
    const after = await db.current.base.database.db
      .select()
      .from(agents)
      .where(sql`name = 'neon-commit'`);
    expect(after).toHaveLength(1);
  });

  it("delivers LISTEN/NOTIFY over the Neon client", async () => {
    let deliver!: (payload: string) => void;
    const got = new Promise<string>((resolve) => (deliver = resolve));
    const unlisten = await db.current.neon.listen("neon_test_channel", (payload) => deliver(payload));
    try {
      await db.current.base.database.db.execute(sql`SELECT pg_notify('neon_test_channel', 'hello')`);
      expect(await got).toBe("hello");
    } finally {
      await unlisten();
    }
  });
});
