import { sql } from "drizzle-orm";
import { bigint, bigserial, boolean, check, index, jsonb, pgTable, smallint, text, uuid } from "drizzle-orm/pg-core";
import { madeAt } from "./columns";

/**
 * The append-only event log (docs/events.md). Written in the same transaction as the change it
 * records; `id` order is commit order (see lib/events/log.ts), which is what makes SSE resume exact.
 * Each row carries its audience, fixed at append time (lib/events/audience.ts, docs/events.md): `isPublic`
 * for catalogue events anyone may read, otherwise the parties in `agentIds` and `userIds`.
 */
export const events = pgTable(
  "events",
  {
    id: bigserial({ mode: "number" }).primaryKey(),
    type: text().notNull(),
    // Agents this event concerns, for `?agent=` filtering of the stream; for a private event, its party agents.
    agentIds: uuid().array().notNull(),
    // People party to a private event without an agent (a person who hired directly, started a run...).
    userIds: uuid()
      .array()
      .notNull()
      .default(sql`'{}'::uuid[]`),
    // A catalogue event (agents, services, public stats): every subscriber may receive it, even anonymous.
    isPublic: boolean().notNull().default(false),
    subjectType: text().notNull(),
    subjectId: text().notNull(),
    data: jsonb().$type<Record<string, unknown>>().notNull(),
    createdAt: madeAt(),
  },
  (t) => [
    index("events_type_idx").on(t.type, t.id),
    index("events_agents_idx").using("gin", t.agentIds),
    index("events_users_idx").using("gin", t.userIds),
    // Anonymous replay reads only public rows: this keeps it from walking every private one.
    index("events_public_idx")
      .on(t.id)
      .where(sql`${t.isPublic}`),
  ],
);

/**
 * How far retention has pruned the log (lib/events/retention.ts): every event with `id <= prunedThrough` may be
 * gone. One row. A stream resuming from an id below it is told to resync rather than given a gap.
 */
export const eventLogHorizon = pgTable(
  "event_log_horizon",
  {
    id: smallint().primaryKey().default(1),
    prunedThrough: bigint({ mode: "number" }).notNull().default(0),
    prunedAt: madeAt(),
  },
  (t) => [check("event_log_horizon_one_row", sql`${t.id} = 1`)],
);
