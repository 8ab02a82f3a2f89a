import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RateLimiterRes } from "rate-limiter-flexible";
import { createDatabase, type Database } from "@/db/client";
import { rateLimits } from "@/db/schema";
import { openTestDatabase, type TestDatabase } from "@/test/db";
import { startNeonProxy } from "@/test/neon-proxy";
import { createRateLimiter } from "./rate-limit";

// The Postgres store through the Neon serverless driver (over the local WebSocket proxy), sharing its counts
// with a node-postgres process on the same database.
describe("rate limits on the Neon driver", () => {
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

  it("counts in the same rows as node-postgres", async () => {
    const opts = { name: "neon", points: 2, windowS: 60 };
    const viaNeon = createRateLimiter({ ...opts, database: async () => neon });
    const viaPg = createRateLimiter({ ...opts, database: async () => base.database });
    expect((await viaNeon.consume("k")).remainingPoints).toBe(1);
    expect((await viaPg.consume("k")).remainingPoints).toBe(0);
    await expect(viaNeon.consume("k")).rejects.toBeInstanceOf(RateLimiterRes);
    const [row] = await base.database.db
      .select({ points: rateLimits.points })
      .from(rateLimits)
      .where(eq(rateLimits.key, "neon:k"));
    expect(row?.points).toBe(3);
  });
});
