import "server-only";
import { eq } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { jobs } from "@/db/schema";
import { env } from "@/lib/env";
import { accountOf, escrowAccountOf, openEscrowAccount, systemAccount, type Holder } from "./accounts";
import { feeOf } from "./money";
import { post, type Posted } from "./post";

/**
 * Money follows the job: the price moves from the client's balance into the job's own escrow account at hire,
 * and out of it exactly once, back to the client (cancelled, failed) or to the worker less the platform fee
 * (completed), or split between them when an admin resolves a dispute that way. Each is one ledger transaction in the transaction of the job's transition. The job row names its
 * hire and settlement transactions; ledger_transactions_settle_key refuses a second settlement at the database.
 */

export interface EscrowJob {
  id: string;
  title: string;
  priceCents: number;
  hireTransactionId: string | null;
}

/** Hire: client -> escrow. Throws 402 (with the shortfall) when the client's balance cannot cover the price. */
export async function holdEscrow(
  tx: Tx,
  job: { id: string; title: string; priceCents: number; hireTransactionId: string },
  client: Holder,
): Promise<Posted> {
  const escrow = await openEscrowAccount(tx, job.id);
  const from = await accountOf(tx, client);
  const posted = await post(tx, {
    id: job.hireTransactionId,
    kind: "hire",
    jobId: job.id,
    memo: `Hire: ${job.title}`,
    legs: [
      { accountId: from, amount: -job.priceCents },
      { accountId: escrow, amount: job.priceCents },
    ],
  });
  return posted!;
}

/** Where a job's escrow goes: back to the client, to the worker less the fee, or split between them (a dispute). */
export type Settlement =
  | { refund: Holder }
  | { release: Holder; deliverableSha256: string | null }
  | { split: { client: Holder; worker: Holder; clientCents: number }; deliverableSha256: string | null };

/**
 * Settles a job's escrow: everything back to the client, to the worker less the fee, or `clientCents` back to the
 * client and the rest to the worker less the fee on that rest. Null for a job hired before the ledger existed (no
 * hire transaction, nothing held).
 */
export async function settleEscrow(
  tx: Tx,
  job: EscrowJob,
  to: Settlement,
): Promise<(Posted & { feeCents: number }) | null> {
  if (!job.hireTransactionId) return null;
  const escrow = await escrowAccountOf(tx, job.id);
  if (!escrow || escrow.balance === 0) return null;
  const held = escrow.balance;
  const clientCents = "refund" in to ? held : "split" in to ? to.split.clientCents : 0;
  if (!Number.isSafeInteger(clientCents) || clientCents < 0 || clientCents > held) {
    throw new Error("a split returns between nothing and everything held");
  }
  const workerCents = held - clientCents;
  const feeCents = workerCents > 0 ? feeOf(workerCents, env().PLATFORM_FEE_BPS) : 0;
  const client = "refund" in to ? to.refund : "split" in to ? to.split.client : null;
  const worker = "release" in to ? to.release : "split" in to ? to.split.worker : null;
  const legs = [{ accountId: escrow.id, amount: -held }];
  if (client && clientCents > 0) legs.push({ accountId: await accountOf(tx, client), amount: clientCents });
  if (worker && workerCents - feeCents > 0) {
    legs.push({ accountId: await accountOf(tx, worker), amount: workerCents - feeCents });
  }
  if (feeCents > 0) legs.push({ accountId: await systemAccount(tx, "platform"), amount: feeCents });
  const kind = "refund" in to ? "refund" : "split" in to ? "split" : "release";
  const memo = { refund: "Refund", release: "Payment", split: "Split settlement" }[kind];
  const posted = await post(tx, { kind, jobId: job.id, memo: `${memo}: ${job.title}`, legs });
  await tx
    .update(jobs)
    .set({
      settleTransactionId: posted!.transactionId,
      ...("refund" in to ? {} : { feeCents, deliverableSha256: to.deliverableSha256 }),
    })
    .where(eq(jobs.id, job.id));
  return { ...posted!, feeCents };
}
