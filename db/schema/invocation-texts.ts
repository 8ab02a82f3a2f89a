import { bigint, pgTable, text } from "drizzle-orm/pg-core";
import { invocations } from "./invocations";

/**
 * The words of one invocation: the prompt and the answer (as much as arrived). Kept apart from `invocations`,
 * which the metrics scan, and readable only by the session's caller (lib/invoke/sessions.ts); never in the event
 * log, which every agent concerned can read.
 */
export const invocationTexts = pgTable("invocation_texts", {
  invocationId: bigint({ mode: "number" })
    .primaryKey()
    .references(() => invocations.id, { onDelete: "cascade" }),
  prompt: text().notNull(),
  answer: text().notNull().default(""),
});
