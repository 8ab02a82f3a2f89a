import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { RateLimiterRes } from "rate-limiter-flexible";
import { rateLimits } from "@/db/schema";
import { setupNeonDatabase } from "@/test/neon-proxy";
import { createRateLimiter } from "./rate-limit";

// The Postgres store through the Neon serverless driver (over the local WebSocket proxy), sharing its counts
// with a node-postgres process on the same database.
describe("rate limits on the Neon driver", () => {
  const db = setupNeonDatabase();

  it("counts in the same rows as node-postgres", async () => {
    const opts = { name: "neon", points: 2, windowS: 60 };
    const viaNeon = createRateLimiter({ ...opts, database: async () => db.current.neon });
    const viaPg = createRateLimiter({ ...opts, database: async () => db.current.base.database });
    expect((await viaNeon.consume("k")).remainingPoints).toBe(1);
    expect((await viaPg.consume("k")).remainingPoints).toBe(0);
    await expect(viaNeon.consume("k")).rejects.toBeInstanceOf(RateLimiterRes);
    const [row] = await db.current.base.database.db
      .select({ points: rateLimits.points })
      .from(rateLimits)
      .where(eq(rateLimits.key, "neon:k"));
    expect(row?.points).toBe(3);
  });
});
