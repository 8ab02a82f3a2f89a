import "server-only";
import { and, eq, sql } from "drizzle-orm";
import type Stripe from "stripe";
import { getDb, type Tx } from "@/db/client";
import { ledgerAccounts } from "@/db/schema";
import type { topUpResponseSchema } from "@/lib/api/contracts/wallet";
import { isUuid } from "@/lib/api/contract";
import { unprocessable } from "@/lib/api/errors";
import type { Principal } from "@/lib/auth/principal";
import { inTransaction } from "@/lib/db";
import { env } from "@/lib/env";
import { appendEvents } from "@/lib/events/log";
import { log } from "@/lib/log";
import type { z } from "zod";
import { accountOf, systemAccount } from "./accounts";
import { formatUsd } from "./money";
import { post, type Posted } from "./post";
import { createCheckoutSession, stripeConfigured, verifiedEvent } from "./stripe";
import { walletHolder } from "./wallet";

export type TopUpJson = z.infer<typeof topUpResponseSchema>;

/**
 * POST /api/wallet/top-ups. With Stripe configured: a Checkout Session to pay at, credited by the webhook. Without
 * it (development, tests): the faucet credits at once, up to FAUCET_MAX_PER_ACCOUNT per account in all.
 */
export async function topUp(
  principal: Principal,
  input: { amount: number; agent_id?: string },
  origin: string,
): Promise<TopUpJson> {
  const holder = await walletHolder(await getDb(), principal, input.agent_id);
  if (stripeConfigured()) {
    const accountId = await inTransaction((tx) => accountOf(tx, holder));
    const session = await createCheckoutSession({ accountId, amount: input.amount, origin });
    return {
      faucet: false,
      status: "pending",
      amount: input.amount,
      transaction_id: null,
      checkout_url: session.url,
      checkout_session_id: session.id,
    };
  }
  const transactionId = await inTransaction(async (tx) => {
    const posted = await grantFaucet(tx, await accountOf(tx, holder), input.amount);
    await appendEvents(tx, posted.events);
    return posted.transactionId;
  });
  return {
    faucet: true,
    status: "credited",
    amount: input.amount,
    transaction_id: transactionId,
    checkout_url: null,
    checkout_session_id: null,
  };
}

/**
 * The development faucet: credits `amount` unless the account's faucet total would pass FAUCET_MAX_PER_ACCOUNT
 * (422). The cap is one conditional update, so concurrent requests cannot together pass it. The caller appends
 * the returned events.
 */
export async function grantFaucet(tx: Tx, accountId: string, amount: number): Promise<Posted> {
  const cap = env().FAUCET_MAX_PER_ACCOUNT;
  const [granted] = await tx
    .update(ledgerAccounts)
    .set({ faucetGranted: sql`${ledgerAccounts.faucetGranted} + ${amount}` })
    .where(and(eq(ledgerAccounts.id, accountId), sql`${ledgerAccounts.faucetGranted} + ${amount} <= ${cap}`))
    .returning({ total: ledgerAccounts.faucetGranted });
  if (!granted) {
    const [acc] = await tx.select().from(ledgerAccounts).where(eq(ledgerAccounts.id, accountId));
    throw unprocessable(`The development faucet gives at most ${formatUsd(cap)} per account`, {
      reason: "faucet_cap",
      cap_cents: cap,
      remaining_cents: Math.max(0, cap - (acc?.faucetGranted ?? 0)),
    });
  }
  const posted = await creditFromOutside(tx, accountId, amount, {
    kind: "faucet",
    memo: "Development faucet (not real money)",
  });
  return posted!;
}

/** Money in: external -> the account. Null when `reference` was credited before. */
export async function creditFromOutside(
  tx: Tx,
  accountId: string,
  amount: number,
  what: { kind: "top_up" | "faucet"; memo: string; reference?: string },
): Promise<Posted | null> {
  return post(tx, {
    ...what,
    legs: [
      { accountId: await systemAccount(tx, "external"), amount: -amount },
      { accountId, amount },
    ],
  });
}

/** The Stripe events that mean a Checkout Session's money arrived (card: completed; bank debits: succeeded later). */
const PAID_EVENTS = new Set(["checkout.session.completed", "checkout.session.async_payment_succeeded"]);

/**
 * POST /api/wallet/stripe-webhook: credits a paid Checkout Session exactly once. The ledger transaction's
 * `reference` is the session id, so a repeated, concurrent or late delivery of either paid event posts nothing.
 */
export async function handleStripeWebhook(
  payload: string,
  signature: string | null,
): Promise<{ received: true; credited: boolean }> {
  const event = verifiedEvent(payload, signature);
  if (!PAID_EVENTS.has(event.type)) return { received: true, credited: false };
  const session = event.data.object as Stripe.Checkout.Session;
  // Completed but not yet paid (a bank debit): the async_payment_succeeded event will credit it.
  if (session.payment_status !== "paid") return { received: true, credited: false };
  const accountId = session.metadata?.account_id ?? "";
  const amount = session.amount_total ?? 0;
  if (!isUuid(accountId) || !Number.isSafeInteger(amount) || amount <= 0 || session.currency !== "usd") {
    // Signed by Stripe but not a session of ours: acknowledged (a retry would not change it) and logged.
    log().error({ session: session.id }, "stripe webhook: a paid session without a usable account or amount");
    return { received: true, credited: false };
  }
  return inTransaction(async (tx) => {
    const [acc] = await tx
      .select({ kind: ledgerAccounts.kind })
      .from(ledgerAccounts)
      .where(eq(ledgerAccounts.id, accountId));
    if (acc?.kind !== "user" && acc?.kind !== "agent") {
      log().error({ session: session.id }, "stripe webhook: the session names no wallet");
      return { received: true, credited: false } as const;
    }
    const posted = await creditFromOutside(tx, accountId, amount, {
      kind: "top_up",
      reference: `stripe:checkout_session:${session.id}`,
      memo: "Top-up (Stripe Checkout)",
    });
    if (posted) await appendEvents(tx, posted.events);
    return { received: true, credited: !!posted } as const;
  });
}
