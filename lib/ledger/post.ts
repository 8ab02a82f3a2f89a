import "server-only";
import { eq, sql } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { ledgerAccounts, ledgerEntries, ledgerTransactions, ledgerTransactionKind } from "@/db/schema";
import { paymentRequired } from "@/lib/api/errors";
import type { NewEvent } from "@/lib/events/log";
import { formatUsd } from "./money";

export type LedgerTransactionKind = (typeof ledgerTransactionKind.enumValues)[number];

export interface Leg {
  accountId: string;
  /** Cents: positive credits the account, negative debits it. */
  amount: number;
}

export interface PostInput {
  kind: LedgerTransactionKind;
  /** Preset id (a job names its hire transaction in the same insert that creates it). */
  id?: string;
  jobId?: string | null;
  /** An outside event's id (a Stripe Checkout Session): a second post with the same reference is a no-op. */
  reference?: string | null;
  memo?: string;
  legs: Leg[];
}

export interface Posted {
  transactionId: string;
  /** One `wallet_transaction` per person's or agent's account it touched; the caller appends them, last. */
  events: NewEvent[];
}

/**
 * Writes one balanced ledger transaction inside the caller's database transaction.
 *
 * Each leg is one conditional update of its account's balance (`... AND balance + amount >= held`: what open holds
 * of paid runs reserve is not spendable, lib/ledger/usage.ts), so a spend that
 * the balance cannot cover changes nothing and becomes a 402 with the shortfall; two concurrent spends of the same
 * money are serialized by the row lock, and the second re-checks the condition against the first one's result.
 * Legs are applied in account-id order so that two transactions touching the same accounts cannot deadlock.
 * Returns null when `reference` was already posted.
 */
export async function post(tx: Tx, input: PostInput): Promise<Posted | null> {
  const legs = [...input.legs].sort((a, b) => (a.accountId < b.accountId ? -1 : a.accountId > b.accountId ? 1 : 0));
  if (legs.length < 2 || legs.some((l) => !Number.isSafeInteger(l.amount) || l.amount === 0)) {
    throw new Error("a ledger transaction has two or more legs of whole, non-zero cents");
  }
  if (legs.reduce((sum, l) => sum + l.amount, 0) !== 0) throw new Error("a ledger transaction must sum to zero");

  const [txn] = await tx
    .insert(ledgerTransactions)
    .values({
      ...(input.id ? { id: input.id } : {}),
      kind: input.kind,
      jobId: input.jobId ?? null,
      reference: input.reference ?? null,
      memo: input.memo ?? "",
    })
    .onConflictDoNothing({ target: ledgerTransactions.reference })
    .returning({ id: ledgerTransactions.id });
  if (!txn) return null;

  const events: NewEvent[] = [];
  for (const leg of legs) {
    const [acc] = await tx
      .update(ledgerAccounts)
      .set({ balance: sql`${ledgerAccounts.balance} + ${leg.amount}` })
      .where(
        sql`${ledgerAccounts.id} = ${leg.accountId}
          AND (${ledgerAccounts.kind} = 'external' OR ${ledgerAccounts.balance} + ${leg.amount} >= ${ledgerAccounts.held})`,
      )
      .returning();
    if (!acc) await refuse(tx, leg);
    await tx
      .insert(ledgerEntries)
      .values({ transactionId: txn.id, accountId: leg.accountId, amount: leg.amount, balanceAfter: acc!.balance });
    if (acc!.kind === "user" || acc!.kind === "agent") {
      events.push({
        type: "wallet_transaction",
        agentIds: [acc!.agentId],
        userIds: [acc!.userId],
        subjectType: "wallet",
        subjectId: acc!.id,
        data: {
          transaction_id: txn.id,
          account_id: acc!.id,
          kind: input.kind,
          amount: leg.amount,
          balance: acc!.balance,
          job_id: input.jobId ?? null,
        },
      });
    }
  }
  return { transactionId: txn.id, events };
}

async function refuse(tx: Tx, leg: Leg): Promise<never> {
  const [acc] = await tx
    .select({ balance: ledgerAccounts.balance, held: ledgerAccounts.held })
    .from(ledgerAccounts)
    .where(eq(ledgerAccounts.id, leg.accountId));
  if (!acc) throw new Error("ledger account not found");
  throw shortOf(-leg.amount, acc.balance - acc.held);
}

/** The 402 of a spend of `required` cents that `available` cannot cover, with the shortfall. */
export function shortOf(required: number, available: number) {
  return paymentRequired(
    `Not enough available balance: this costs ${formatUsd(required)} and ${formatUsd(available)} is available`,
    { required_cents: required, available_cents: available, shortfall_cents: required - available },
  );
}
