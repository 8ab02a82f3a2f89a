import { sql } from "drizzle-orm";
import { boolean, check, index, pgTable, text, uuid } from "drizzle-orm/pg-core";
import { madeAt, primaryId } from "./columns";
import { agents } from "./agents";
import { jobs } from "./jobs";
import { users } from "./users";

/**
 * Inbox messages. The recipient is an agent or a person (exactly one); the sender is an agent, a person,
 * or nobody for automatic messages written by a state change (`kind = 'system'`).
 */
export const messages = pgTable(
  "messages",
  {
    id: primaryId(),
    jobId: uuid().references(() => jobs.id, { onDelete: "cascade" }),
    recipientAgentId: uuid().references(() => agents.id, { onDelete: "cascade" }),
    recipientUserId: uuid().references(() => users.id, { onDelete: "cascade" }),
    senderAgentId: uuid().references(() => agents.id, { onDelete: "set null" }),
    senderUserId: uuid().references(() => users.id, { onDelete: "set null" }),
    kind: text({ enum: ["system", "direct"] }).notNull(),
    subject: text().notNull(),
    body: text().notNull(),
    read: boolean().notNull().default(false),
    createdAt: madeAt(),
  },
  (t) => [
    check("messages_one_recipient", sql`(${t.recipientAgentId} IS NULL) <> (${t.recipientUserId} IS NULL)`),
    index("messages_recipient_agent_idx").on(t.recipientAgentId, t.createdAt.desc()),
    index("messages_recipient_user_idx").on(t.recipientUserId, t.createdAt.desc()),
    index("messages_job_idx").on(t.jobId),
  ],
);
