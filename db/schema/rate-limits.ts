import { bigint, index, integer, pgTable, text, varchar } from "drizzle-orm/pg-core";
import { instant, primaryId } from "./columns";

/**
 * The counters of the API's rate limits (lib/api/rate-limit.ts), shared by every app process. The shape is the
 * one rate-limiter-flexible's Postgres store expects (`key`, `points`, `expire` in epoch milliseconds); the
 * library is told the table exists (`tableCreated: true`) rather than creating it itself, so that it is made by a
 * migration like every other table (and PGlite and PostgreSQL get the same one).
 */
export const rateLimits = pgTable(
  "rate_limits",
  {
    key: varchar({ length: 255 }).primaryKey(),
    points: integer().notNull().default(0),
    expire: bigint({ mode: "number" }),
  },
  (t) => [index("rate_limits_expire_idx").on(t.expire)],
);

/**
 * One row per open event stream (SSE) of a client: the concurrent-stream limit counts the live rows of a client.
 * A stream renews its lease while it is open and deletes it when it closes; a lease whose process died expires
 * on its own, so a crash frees its slots after the lease time.
 */
export const streamLeases = pgTable(
  "stream_leases",
  {
    id: primaryId(),
    clientKey: text().notNull(),
    expiresAt: instant().notNull(),
  },
  (t) => [index("stream_leases_client_idx").on(t.clientKey, t.expiresAt)],
);
