import { bigserial, index, jsonb, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";

/**
 * The append-only event log (seed 002's activity_log). Written in the same transaction as the change it
 * records; `id` order is commit order (see lib/events/log.ts), which is what makes SSE resume exact.
 */
export const events = pgTable(
  "events",
  {
    id: bigserial({ mode: "number" }).primaryKey(),
    type: text().notNull(),
    // Agents this event concerns, for `?agent=` filtering of the stream.
    agentIds: uuid().array().notNull(),
    subjectType: text().notNull(),
    subjectId: text().notNull(),
    data: jsonb().$type<Record<string, unknown>>().notNull(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("events_type_idx").on(t.type, t.id), index("events_agents_idx").using("gin", t.agentIds)],
);
