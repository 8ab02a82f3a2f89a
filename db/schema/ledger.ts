import { sql } from "drizzle-orm";
import { bigint, bigserial, check, index, pgEnum, pgTable, text, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { instant, madeAt, primaryId } from "./columns";
import { agents } from "./agents";
import { jobs } from "./jobs";
import { users } from "./users";

/**
 * The credit ledger (lib/ledger): double-entry, in integer cents. Every movement is one ledger_transaction whose
 * entries sum to zero, written in the same database transaction as the change that caused it.
 */

export const ledgerAccountKind = pgEnum("ledger_account_kind", ["user", "agent", "platform", "escrow", "external"]);

export const ledgerTransactionKind = pgEnum("ledger_transaction_kind", [
  "top_up",
  "faucet",
  "hire",
  "refund",
  "release",
  // A dispute resolved with a split: part of the escrow back to the client, the rest to the worker less the fee.
  "split",
  // Pay per use: a paid run or invocation, from the caller's hold to the agent less the fee (lib/ledger/usage.ts).
  "charge",
]);

export const ledgerHoldStatus = pgEnum("ledger_hold_status", ["held", "charged", "released"]);

/**
 * One account per person, per agent (both created on first use), per job while its price is held (escrow), and
 * two singletons: the platform's fee revenue and `external`, the world outside (money in and out), whose balance
 * is minus everything ever topped up. `balance` is kept beside the entries so a spend is one conditional update.
 */
export const ledgerAccounts = pgTable(
  "ledger_accounts",
  {
    id: primaryId(),
    kind: ledgerAccountKind().notNull(),
    userId: uuid().references(() => users.id, { onDelete: "restrict" }),
    agentId: uuid().references(() => agents.id, { onDelete: "restrict" }),
    jobId: uuid().references(() => jobs.id, { onDelete: "restrict" }),
    balance: bigint({ mode: "number" }).notNull().default(0),
    // Reserved by open holds (paid runs and invocations in flight): spendable is balance - held.
    held: bigint({ mode: "number" }).notNull().default(0),
    // Development faucet credit granted so far, capped by FAUCET_MAX_PER_ACCOUNT with a conditional update.
    faucetGranted: bigint({ mode: "number" }).notNull().default(0),
    createdAt: madeAt(),
  },
  (t) => [
    // The last line of defence behind the conditional update in lib/ledger/post.ts: only `external` goes below zero.
    check("ledger_accounts_not_negative", sql`${t.kind} = 'external' OR ${t.balance} >= 0`),
    check(
      "ledger_accounts_held_covered",
      sql`${t.held} >= 0 AND (${t.kind} = 'external' OR ${t.held} <= ${t.balance})`,
    ),
    check(
      "ledger_accounts_owner",
      sql`(${t.kind} = 'user') = (${t.userId} IS NOT NULL) AND (${t.kind} = 'agent') = (${t.agentId} IS NOT NULL)
        AND (${t.kind} = 'escrow') = (${t.jobId} IS NOT NULL)`,
    ),
    uniqueIndex("ledger_accounts_user_key").on(t.userId),
    uniqueIndex("ledger_accounts_agent_key").on(t.agentId),
    uniqueIndex("ledger_accounts_job_key").on(t.jobId),
    uniqueIndex("ledger_accounts_singleton_key")
      .on(t.kind)
      .where(sql`${t.kind} IN ('platform', 'external')`),
  ],
);

/** One balanced movement. `reference` makes an outside event (a Stripe Checkout Session) credit at most once. */
export const ledgerTransactions = pgTable(
  "ledger_transactions",
  {
    id: primaryId(),
    kind: ledgerTransactionKind().notNull(),
    jobId: uuid().references(() => jobs.id, { onDelete: "restrict" }),
    reference: text(),
    memo: text().notNull().default(""),
    createdAt: madeAt(),
  },
  (t) => [
    uniqueIndex("ledger_transactions_reference_key").on(t.reference),
    // A job's escrow is settled once: one refund, release or split, never two, never twice. Written as "not the
    // other kinds" so the migration that added `split` need not name the new enum value in the same transaction.
    uniqueIndex("ledger_transactions_settle_key")
      .on(t.jobId)
      .where(sql`${t.kind} NOT IN ('top_up', 'faucet', 'hire')`),
    uniqueIndex("ledger_transactions_hire_key")
      .on(t.jobId)
      .where(sql`${t.kind} = 'hire'`),
  ],
);

/** A leg of a transaction: a signed amount on one account, and that account's balance right after it. */
export const ledgerEntries = pgTable(
  "ledger_entries",
  {
    id: bigserial({ mode: "number" }).primaryKey(),
    transactionId: uuid()
      .notNull()
      .references(() => ledgerTransactions.id, { onDelete: "restrict" }),
    accountId: uuid()
      .notNull()
      .references(() => ledgerAccounts.id, { onDelete: "restrict" }),
    amount: bigint({ mode: "number" }).notNull(),
    balanceAfter: bigint({ mode: "number" }).notNull(),
    createdAt: madeAt(),
  },
  (t) => [
    check("ledger_entries_nonzero", sql`${t.amount} <> 0`),
    index("ledger_entries_account_idx").on(t.accountId, t.id),
    index("ledger_entries_transaction_idx").on(t.transactionId),
  ],
);

/**
 * A reservation of a paid run's or invocation's price on the caller's account while it is in flight
 * (`reference`: "execution:<id>" or "invocation:<id>"). It ends once: `charged` (the ledger transaction that paid
 * the agent) when it succeeded, `released` otherwise. Moves no money itself: the account's `held` column counts it.
 */
export const ledgerHolds = pgTable(
  "ledger_holds",
  {
    id: primaryId(),
    reference: text().notNull(),
    accountId: uuid()
      .notNull()
      .references(() => ledgerAccounts.id, { onDelete: "restrict" }),
    agentId: uuid()
      .notNull()
      .references(() => agents.id, { onDelete: "restrict" }),
    amount: bigint({ mode: "number" }).notNull(),
    status: ledgerHoldStatus().notNull().default("held"),
    transactionId: uuid().references(() => ledgerTransactions.id, { onDelete: "restrict" }),
    createdAt: madeAt(),
    endedAt: instant(),
  },
  (t) => [
    check("ledger_holds_positive", sql`${t.amount} > 0`),
    uniqueIndex("ledger_holds_reference_key").on(t.reference),
    index("ledger_holds_open_idx")
      .on(t.accountId, t.createdAt)
      .where(sql`${t.status} = 'held'`),
  ],
);
