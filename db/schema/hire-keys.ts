import { pgTable, primaryKey, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { jobs } from "./jobs";

/**
 * The caller's key for one hire (an A2A messageId, an MCP idempotency key): a retry with the same key returns the
 * job the first request created instead of hiring again. `caller` is the principal ("agent:<id>" or "user:<id>"),
 * so keys of different callers never meet. Written in the hire's transaction (lib/market/hire-keys.ts).
 */
export const hireKeys = pgTable(
  "hire_keys",
  {
    caller: text().notNull(),
    key: text().notNull(),
    jobId: uuid()
      .notNull()
      .references(() => jobs.id, { onDelete: "cascade" }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.caller, t.key] })],
);
