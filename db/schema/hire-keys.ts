import { pgTable, primaryKey, text } from "drizzle-orm/pg-core";
import { madeAt, partOf } from "./columns";
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
    jobId: partOf(() => jobs.id),
    createdAt: madeAt(),
  },
  (t) => [primaryKey({ columns: [t.caller, t.key] })],
);
