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
 * (completed). Each is one ledger transaction in the transaction of the job's transition. The job row names its
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

/**
 * Settles a job's escrow: everything back to the client, or to the worker less the fee. Null for a job hired
 * before the ledger existed (no hire transaction, nothing held).
 */
export async function settleEscrow(
  tx: Tx,
  job: EscrowJob,
  to: { refund: Holder } | { release: Holder; deliverableSha256: string | null },
): Promise<(Posted & { feeCents: number }) | null> {
  if (!job.hireTransactionId) return null;
  const escrow = await escrowAccountOf(tx, job.id);
  if (!escrow || escrow.balance === 0) return null;
  const held = escrow.balance;
  let feeCents = 0;
  let legs;
  if ("refund" in to) {
    legs = [{ accountId: await accountOf(tx, to.refund), amount: held }];
  } else {
    feeCents = feeOf(held, env().PLATFORM_FEE_BPS);
    legs = [{ accountId: await accountOf(tx, to.release), amount: held - feeCents }];
    if (feeCents > 0) legs.push({ accountId: await systemAccount(tx, "platform"), amount: feeCents });
  }
  const kind = "refund" in to ? "refund" : "release";
  const posted = await post(tx, {
    kind,
    jobId: job.id,
    memo: `${kind === "refund" ? "Refund" : "Payment"}: ${job.title}`,
    legs: [{ accountId: escrow.id, amount: -held }, ...legs.filter((l) => l.amount !== 0)],
  });
  await tx
    .update(jobs)
    .set({
      settleTransactionId: posted!.transactionId,
      ...("release" in to ? { feeCents, deliverableSha256: to.deliverableSha256 } : {}),
    })
    .where(eq(jobs.id, job.id));
  return { ...posted!, feeCents };
}
