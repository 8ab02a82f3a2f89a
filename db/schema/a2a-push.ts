import { sql } from "drizzle-orm";
import { index, integer, pgTable, text, uniqueIndex } from "drizzle-orm/pg-core";
import { instant, madeAt, partOf, primaryId } from "./columns";
import { jobs } from "./jobs";

/**
 * An A2A push notification config: where to POST a task's (a job's) changes for the caller who registered it
 * (`owner`: "agent:<id>" or "user:<id>"; config ids are the owner's own per task). The token signs the
 * notifications and the receiver checks them with it; it and any Bearer credentials are stored encrypted.
 * `delivered_version` is the job's updated_at last notified (or given up on): a job whose updated_at differs has
 * a change to send. Attempts of that change follow the callback retry schedule (next_at); a 410 or a URL the
 * SSRF guard refuses ends the config (status). Delivered by lib/protocols/a2a/push/dispatcher.ts.
 */
export const a2aPushConfigs = pgTable(
  "a2a_push_configs",
  {
    id: primaryId(),
    jobId: partOf(() => jobs.id),
    owner: text().notNull(),
    configId: text().notNull(),
    url: text().notNull(),
    sealedToken: text().notNull(),
    authScheme: text(),
    sealedCredentials: text(),
    /** The A2A version the config was registered over: its notifications have that version's shape. */
    protocolVersion: text().notNull(),
    status: text().$type<"active" | "gone" | "refused">().notNull().default("active"),
    deliveredVersion: instant(),
    attempts: integer().notNull().default(0),
    nextAt: instant(),
    lastStatusCode: integer(),
    lastError: text(),
    createdAt: madeAt(),
  },
  (t) => [
    uniqueIndex("a2a_push_configs_owner_idx").on(t.jobId, t.owner, t.configId),
    index("a2a_push_configs_active_idx")
      .on(t.nextAt)
      .where(sql`${t.status} = 'active'`),
  ],
);
