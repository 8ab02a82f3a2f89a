import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RateLimiterRes } from "rate-limiter-flexible";
import { eq, like } from "drizzle-orm";
import { createDatabase, type Database } from "@/db/client";
import { rateLimits, streamLeases } from "@/db/schema";
import { setupTestDatabase } from "@/test/db";
import { createRateLimiter } from "./rate-limit";
import { acquireStreamSlot, LEASE_MS, renewStreamLeases } from "./stream-slots";

const holder = setupTestDatabase();

/**
 * A second handle on the same database, as a second app process would have: its own connection pool on
 * PostgreSQL. PGlite lives inside one process, so there the second limiter shares the one handle.
 */
let other: Database;
beforeAll(async () => {
  const { url, database } = holder.current;
  other = url ? await createDatabase({ url, driver: "pg", migrate: false }) : database;
});
afterAll(async () => {
  if (other !== holder.current.database) await other.close();
});

async function outcome(p: Promise<RateLimiterRes>): Promise<"ok" | RateLimiterRes> {
  try {
    await p;
    return "ok";
  } catch (err) {
    if (err instanceof RateLimiterRes) return err;
    throw err;
  }
}

describe("rate limits in the database", () => {
  it("two limiters on one database (two processes) share one count per key", async () => {
    const opts = { name: "shared", points: 3, windowS: 60 };
    const a = createRateLimiter({ ...opts, database: async () => holder.current.database });
    const b = createRateLimiter({ ...opts, database: async () => other });
    expect(await outcome(a.consume("k1"))).toBe("ok");
    expect(await outcome(b.consume("k1"))).toBe("ok");
    const third = await a.consume("k1");
    expect(third.remainingPoints).toBe(0);
    // B has never seen k1 refused, yet it refuses: the count is the database's, not its own.
    const refused = await outcome(b.consume("k1"));
    expect(refused).toBeInstanceOf(RateLimiterRes);
    const res = refused as RateLimiterRes;
    expect(res.remainingPoints).toBe(0);
    expect(res.msBeforeNext).toBeGreaterThan(55_000);
    expect(res.msBeforeNext).toBeLessThanOrEqual(60_000);
    const [row] = await holder.current.database.db
      .select({ points: rateLimits.points })
      .from(rateLimits)
      .where(eq(rateLimits.key, "shared:k1"));
    expect(row?.points).toBe(4);
    // Another key, and the same key under another limit name, have counts of their own.
    expect(await outcome(b.consume("k2"))).toBe("ok");
    const another = createRateLimiter({ ...opts, name: "another", database: async () => holder.current.database });
    expect(await outcome(another.consume("k1"))).toBe("ok");
  });

  it("stream slots are counted in the database: a second process sees the first one's streams", async () => {
    const key = `client-${Date.now()}`;
    const first = await acquireStreamSlot(holder.current.database, key, 2);
    const second = await acquireStreamSlot(other, key, 2);
    expect([first?.remaining, second?.remaining]).toEqual([1, 0]);
    expect(await acquireStreamSlot(holder.current.database, key, 2)).toBeNull();
    const another = await acquireStreamSlot(other, `${key}-b`, 2);
    expect(another).not.toBeNull();
    another!.release();
    first!.release();
    const again = await acquireStreamSlot(holder.current.database, key, 2);
    expect(again?.remaining).toBe(0);
    second!.release();
    again!.release();
  });

  it("opens racing for the last slot: exactly one gets it", async () => {
    const key = `race-${Date.now()}`;
    const slots = await Promise.all(
      Array.from({ length: 6 }, (_, i) => acquireStreamSlot(i % 2 ? other : holder.current.database, key, 1)),
    );
    expect(slots.filter(Boolean)).toHaveLength(1);
    for (const s of slots) s?.release();
  });

  it("renews every open lease of this process in one statement, and no longer a released one", async () => {
    const db = holder.current.database.db;
    const key = `renew-${Date.now()}`;
    const slots = await Promise.all([1, 2, 3].map(() => acquireStreamSlot(holder.current.database, key, 5)));
    const expiries = async () =>
      (await db.select({ at: streamLeases.expiresAt }).from(streamLeases).where(like(streamLeases.clientKey, key))).map(
        (r) => r.at.getTime(),
      );
    // Leases as if taken long ago: a renewal must bring each back to a full LEASE_MS from now.
    await db
      .update(streamLeases)
      .set({ expiresAt: new Date(Date.now() + 1_000) })
      .where(like(streamLeases.clientKey, key));
    slots[2]!.release();
    const before = Date.now();
    expect(await renewStreamLeases(holder.current.database)).toBe(2);
    const after = await expiries();
    expect(after).toHaveLength(2);
    for (const at of after) expect(at).toBeGreaterThanOrEqual(before + LEASE_MS - 5_000);
    slots[0]!.release();
    slots[1]!.release();
    expect(await renewStreamLeases(holder.current.database)).toBe(0);
  });
});
