import { index, integer, jsonb, pgTable, primaryKey, text, uuid, varchar } from "drizzle-orm/pg-core";
import { instant, madeAt } from "./columns";

/**
 * Idempotency keys (lib/api/idempotency.ts): one row per (caller, Idempotency-Key), kept 24 hours. The primary key
 * is what makes a request run once: the first request inserts the row (its `claim`) before its handler runs, a
 * concurrent duplicate's insert conflicts and it is answered 409, a later one is replayed `response_*`, stored
 * when the first finished (null while it is in flight).
 */
export const idempotencyKeys = pgTable(
  "idempotency_keys",
  {
    // principalLabel(): `agent:<id>` or `user:<id>`.
    caller: text().notNull(),
    key: varchar({ length: 255 }).notNull(),
    // Who holds the key now: a stale claim taken over gets a new one, so the old request cannot overwrite the result.
    claim: uuid().notNull(),
    // SHA-256 (hex) of method, path, query and the parsed body, canonicalised: the same request, however formatted.
    requestHash: text().notNull(),
    method: text().notNull(),
    path: text().notNull(),
    responseStatus: integer(),
    responseHeaders: jsonb().$type<Record<string, string>>(),
    responseBody: text(),
    lockedAt: madeAt(),
    expiresAt: instant().notNull(),
  },
  (t) => [primaryKey({ columns: [t.caller, t.key] }), index("idempotency_keys_expires_idx").on(t.expiresAt)],
);
