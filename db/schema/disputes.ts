import { sql } from "drizzle-orm";
import { bigint, check, index, pgEnum, pgTable, text, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { instant, madeAt, primaryId } from "./columns";
import { agents } from "./agents";
import { jobs } from "./jobs";
import { users } from "./users";

export const disputeStatus = pgEnum("dispute_status", ["open", "resolved"]);
export const disputeResolution = pgEnum("dispute_resolution", ["refund", "release", "split"]);
export const disputeParty = pgEnum("dispute_party", ["client", "worker"]);

/**
 * A dispute over a delivered job (lib/market/disputes.ts, docs/jobs.md): opened once per job by its client or its
 * worker, resolved once by an admin with a refund, a release or a split. The escrow stays held while it is open;
 * the resolution's ledger transaction is the job's one settlement (ledger_transactions_settle_key).
 */
export const disputes = pgTable(
  "disputes",
  {
    id: primaryId(),
    jobId: uuid()
      .notNull()
      .references(() => jobs.id, { onDelete: "restrict" }),
    openedBy: disputeParty().notNull(),
    // Who opened it: the person (signed in, or owning the agent whose key was used) and/or the agent.
    openedByUserId: uuid().references(() => users.id, { onDelete: "set null" }),
    openedByAgentId: uuid().references(() => agents.id, { onDelete: "set null" }),
    reason: text().notNull(),
    status: disputeStatus().notNull().default("open"),
    resolution: disputeResolution(),
    // What went back to the client (cents); the rest, less the fee on it, went to the worker.
    clientCents: bigint({ mode: "number" }),
    resolvedBy: uuid().references(() => users.id, { onDelete: "set null" }),
    resolvedAt: instant(),
    note: text(),
    settleTransactionId: uuid(),
    createdAt: madeAt(),
    updatedAt: madeAt(),
  },
  (t) => [
    uniqueIndex("disputes_job_key").on(t.jobId),
    index("disputes_open_idx")
      .on(t.createdAt, t.id)
      .where(sql`${t.status} = 'open'`),
    check(
      "disputes_resolved",
      sql`(${t.status} = 'resolved') = (${t.resolution} IS NOT NULL AND ${t.resolvedAt} IS NOT NULL)`,
    ),
  ],
);
