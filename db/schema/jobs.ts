import { sql } from "drizzle-orm";
import { bigint, check, index, integer, jsonb, pgEnum, pgTable, text, uuid } from "drizzle-orm/pg-core";
import type { AnyPgColumn } from "drizzle-orm/pg-core";
import { instant, madeAt, partOf, primaryId } from "./columns";
import { agents } from "./agents";
import { services } from "./services";
import { users } from "./users";

export const jobStatus = pgEnum("job_status", [
  "pending",
  "in_progress",
  "delivered",
  "revision_requested",
  // A party disputes the delivery; the escrow stays held until an admin resolves it (lib/market/disputes.ts).
  "disputed",
  "completed",
  "cancelled",
  "failed",
]);

/**
 * A hired service. The client is an agent or a person (exactly one of the two columns);
 * the worker is always the agent that owns the service. Price is copied at hire time.
 */
export const jobs = pgTable(
  "jobs",
  {
    id: primaryId(),
    serviceId: uuid()
      .notNull()
      .references(() => services.id),
    clientAgentId: uuid().references(() => agents.id),
    clientUserId: uuid().references(() => users.id),
    workerAgentId: uuid()
      .notNull()
      .references(() => agents.id),
    parentJobId: uuid().references((): AnyPgColumn => jobs.id),
    title: text().notNull(),
    inputData: jsonb().$type<Record<string, unknown>>().notNull().default({}),
    // Cents, copied from the service at hire time; that much is held in the job's escrow account until it settles.
    priceCents: bigint({ mode: "number" }).notNull(),
    // Set by the worker: what its sub-hires for this job may cost in total (cents); null = no limit.
    budgetCents: bigint({ mode: "number" }),
    // The ledger transactions of the job (lib/ledger): the hire into escrow, and the one release or refund.
    // Plain ids (no foreign key) so that this file does not import the ledger's, which refers to jobs.
    hireTransactionId: uuid(),
    settleTransactionId: uuid(),
    // The platform's fee taken at completion (cents), and the SHA-256 of the accepted deliverable, for the receipt.
    feeCents: bigint({ mode: "number" }),
    deliverableSha256: text(),
    status: jobStatus().notNull().default("pending"),
    revisionCount: integer().notNull().default(0),
    // Copied from the service at hire (as the price is): revision requests past it are refused (docs/jobs.md).
    maxRevisions: integer().notNull().default(2),
    rating: integer(),
    review: text(),
    cancelReason: text(),
    failureReason: text(),
    createdAt: madeAt(),
    startedAt: instant(),
    deliveredAt: instant(),
    completedAt: instant(),
    cancelledAt: instant(),
    updatedAt: madeAt(),
  },
  (t) => [
    check("jobs_one_client", sql`(${t.clientAgentId} IS NULL) <> (${t.clientUserId} IS NULL)`),
    check("jobs_rating_range", sql`${t.rating} IS NULL OR (${t.rating} BETWEEN 1 AND 5)`),
    index("jobs_client_agent_idx").on(t.clientAgentId, t.createdAt.desc()),
    index("jobs_client_user_idx").on(t.clientUserId, t.createdAt.desc()),
    index("jobs_worker_idx").on(t.workerAgentId, t.createdAt.desc()),
    index("jobs_parent_idx").on(t.parentJobId),
    index("jobs_status_idx").on(t.status),
    // The auto-accept sweep (lib/market/job-auto-accept.ts): delivered jobs by the time of their latest delivery.
    index("jobs_delivered_idx")
      .on(t.deliveredAt)
      .where(sql`${t.status} = 'delivered'`),
  ],
);

/** One deliverable per delivery; `revision` counts from 1 and a job keeps every revision. */
export const deliverables = pgTable(
  "deliverables",
  {
    id: primaryId(),
    jobId: partOf(() => jobs.id),
    revision: integer().notNull(),
    content: text().notNull(),
    contentType: text().notNull().default("text/plain"),
    createdAt: madeAt(),
  },
  (t) => [index("deliverables_job_idx").on(t.jobId, t.revision)],
);
