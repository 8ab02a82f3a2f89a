import "server-only";
import { and, count, desc, eq, lt, sql } from "drizzle-orm";
import { getDb, type Queryable } from "@/db/client";
import { agents, jobs, ledgerAccounts, ledgerEntries, ledgerTransactions } from "@/db/schema";
import type { transactionSchema, walletSchema } from "@/lib/api/contracts/wallet";
import { notFound } from "@/lib/api/errors";
import { encodeCursor, readSeqCursor, type Page } from "@/lib/api/pagination";
import { actsForAgent } from "@/lib/auth/acting";
import type { Principal } from "@/lib/auth/principal";
import { env } from "@/lib/env";
import type { z } from "zod";
import { findAccount, type Holder } from "./accounts";
import { stripeConfigured } from "./stripe";

export type WalletJson = z.infer<typeof walletSchema>;
export type TransactionJson = z.infer<typeof transactionSchema>;

/**
 * Whose wallet a request means: the caller's own (a person's, or an agent key's agent), or with `agent_id` an agent
 * the caller acts for (its owner, or its own key). Anyone else's is a 404, as for an agent that does not exist.
 */
export async function walletHolder(db: Queryable, principal: Principal, agentId?: string): Promise<Holder> {
  if (agentId) {
    const [agent] = await db.select({ owner: agents.ownerUserId }).from(agents).where(eq(agents.id, agentId));
    if (!agent || !(await actsForAgent(db, principal, agentId, agent.owner))) throw notFound("Agent");
    return { kind: "agent", agentId };
  }
  return principal.kind === "agent"
    ? { kind: "agent", agentId: principal.agentId }
    : { kind: "user", userId: principal.userId };
}

/** GET /api/wallet: available (spendable), held (in the escrow of open jobs the holder hired), and their sum. */
export async function getWallet(principal: Principal, agentId?: string): Promise<WalletJson> {
  const db = await getDb();
  const holder = await walletHolder(db, principal, agentId);
  const account = await findAccount(db, holder);
  const [held] = await db
    .select({ cents: sql<number>`coalesce(sum(${ledgerAccounts.balance}), 0)`.mapWith(Number) })
    .from(ledgerAccounts)
    .innerJoin(jobs, eq(jobs.id, ledgerAccounts.jobId))
    .where(
      and(
        eq(ledgerAccounts.kind, "escrow"),
        holder.kind === "user" ? eq(jobs.clientUserId, holder.userId) : eq(jobs.clientAgentId, holder.agentId),
      ),
    );
  // Paid runs and calls in flight hold part of the balance (lib/ledger/usage.ts): held, not spendable.
  const inFlight = account?.held ?? 0;
  const available = (account?.balance ?? 0) - inFlight;
  const heldCents = (held?.cents ?? 0) + inFlight;
  const faucet = !stripeConfigured();
  return {
    account_id: account?.id ?? null,
    holder: holder.kind === "user" ? { kind: "user", id: holder.userId } : { kind: "agent", id: holder.agentId },
    currency: "usd",
    balance: available + heldCents,
    held_in_escrow: heldCents,
    available,
    top_ups: faucet
      ? { mode: "faucet", faucet_remaining: Math.max(0, env().FAUCET_MAX_PER_ACCOUNT - (account?.faucetGranted ?? 0)) }
      : { mode: "stripe", faucet_remaining: null },
  };
}

/** GET /api/wallet/transactions: the holder's ledger entries, newest first, each with the balance right after it. */
export async function listWalletTransactions(
  principal: Principal,
  q: { agent_id?: string; limit: number; cursor?: string },
): Promise<Page<TransactionJson>> {
  const db = await getDb();
  const holder = await walletHolder(db, principal, q.agent_id);
  const account = await findAccount(db, holder);
  if (!account) return { data: [], next_cursor: null, total: 0 };
  const mine = eq(ledgerEntries.accountId, account.id);
  const after = q.cursor ? lt(ledgerEntries.id, readSeqCursor(q.cursor)) : undefined;
  const [rows, [total]] = await Promise.all([
    db
      .select({
        id: ledgerEntries.id,
        transactionId: ledgerEntries.transactionId,
        amount: ledgerEntries.amount,
        balanceAfter: ledgerEntries.balanceAfter,
        kind: ledgerTransactions.kind,
        jobId: ledgerTransactions.jobId,
        memo: ledgerTransactions.memo,
        createdAt: ledgerEntries.createdAt,
      })
      .from(ledgerEntries)
      .innerJoin(ledgerTransactions, eq(ledgerTransactions.id, ledgerEntries.transactionId))
      .where(and(mine, after))
      .orderBy(desc(ledgerEntries.id))
      .limit(q.limit + 1),
    db.select({ n: count() }).from(ledgerEntries).where(mine),
  ]);
  const page = rows.slice(0, q.limit);
  const last = page.at(-1);
  return {
    data: page.map((r) => ({
      id: String(r.id),
      transaction_id: r.transactionId,
      kind: r.kind,
      amount: r.amount,
      balance_after: r.balanceAfter,
      job_id: r.jobId,
      memo: r.memo,
      created_at: r.createdAt.toISOString(),
    })),
    next_cursor: rows.length > q.limit && last ? encodeCursor([last.id]) : null,
    total: total?.n ?? 0,
  };
}
