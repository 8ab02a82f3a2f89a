import "server-only";
import { and, eq, sql } from "drizzle-orm";
import type { Queryable, Tx } from "@/db/client";
import { agents, ledgerAccounts, ledgerHolds } from "@/db/schema";
import { paymentRequired } from "@/lib/api/errors";
import { actsForAgent } from "@/lib/auth/acting";
import { partyOf, type Principal } from "@/lib/auth/principal";
import { env } from "@/lib/env";
import type { NewEvent } from "@/lib/events/log";
import { accountOf, holderOf, systemAccount } from "./accounts";
import { feeOf, formatUsd } from "./money";
import { post, shortOf } from "./post";

/**
 * Pay per use: an owner prices runs (`price_per_run`: the run route and execute) and invocations
 * (`price_per_call`) of an agent; everyone else pays that price when the run or invocation succeeds.
 *
 * At the start the price is held on the caller's account (`held`, counted by one ledger_holds row): a conditional
 * update `balance - held >= price`, so concurrent paid requests of one balance cannot together promise more than
 * it has, and a hire cannot spend what a run in flight holds (lib/ledger/post.ts). At the end, in the transaction
 * that records the end, the hold is either charged (one ledger transaction: caller -> agent less
 * PLATFORM_FEE_BPS -> platform) or released (failed, timed out, stopped, cancelled). Each hold ends once.
 */

export type UsageKind = "run" | "call";

export interface PricedAgent {
  id: string;
  ownerUserId: string | null;
  pricePerRun: number | null;
  pricePerCall: number | null;
}

/** What this principal pays for one run or call of the agent, or null when it is free (unpriced, or its own). */
export async function priceFor(
  db: Queryable,
  principal: Principal,
  agent: PricedAgent,
  kind: UsageKind,
): Promise<number | null> {
  const price = kind === "run" ? agent.pricePerRun : agent.pricePerCall;
  if (price === null || price <= 0) return null;
  if (await actsForAgent(db, principal, agent.id, agent.ownerUserId)) return null;
  return price;
}

/** The agent's prices, for a path that did not load them (null when the agent does not exist). */
export async function loadPricedAgent(db: Queryable, agentId: string): Promise<PricedAgent | null> {
  const [row] = await db
    .select({
      id: agents.id,
      ownerUserId: agents.ownerUserId,
      pricePerRun: agents.pricePerRun,
      pricePerCall: agents.pricePerCall,
    })
    .from(agents)
    .where(eq(agents.id, agentId))
    .limit(1);
  return row ?? null;
}

/** 402 before anything starts when the price is over the caller's cap (`max_charge`, cents). */
export function checkMaxCharge(price: number, maxCharge: number | undefined): void {
  if (maxCharge === undefined || price <= maxCharge) return;
  throw paymentRequired(`This costs ${formatUsd(price)}, more than max_charge allows (${formatUsd(maxCharge)})`, {
    required_cents: price,
    max_charge: maxCharge,
  });
}

export interface HoldInput {
  principal: Principal;
  agentId: string;
  amount: number;
  /** "execution:<id>" or "invocation:<id>": what settles it later. */
  reference: string;
  maxCharge?: number;
}

/** Reserves the price on the caller's account, in the transaction that records the run; 402 when it cannot. */
export async function holdCharge(tx: Tx, input: HoldInput): Promise<void> {
  checkMaxCharge(input.amount, input.maxCharge);
  const accountId = await accountOf(tx, holderOf(partyOf(input.principal)));
  const [reserved] = await tx
    .update(ledgerAccounts)
    .set({ held: sql`${ledgerAccounts.held} + ${input.amount}` })
    .where(
      sql`${ledgerAccounts.id} = ${accountId} AND ${ledgerAccounts.balance} - ${ledgerAccounts.held} >= ${input.amount}`,
    )
    .returning({ id: ledgerAccounts.id });
  if (!reserved) {
    const [acc] = await tx
      .select({ balance: ledgerAccounts.balance, held: ledgerAccounts.held })
      .from(ledgerAccounts)
      .where(eq(ledgerAccounts.id, accountId));
    throw shortOf(input.amount, (acc?.balance ?? 0) - (acc?.held ?? 0));
  }
  await tx.insert(ledgerHolds).values({
    reference: input.reference,
    accountId,
    agentId: input.agentId,
    amount: input.amount,
  });
}

/**
 * Ends the hold of `reference`, if there is one still open: charged when the run or call succeeded, else released.
 * Returns the wallet events of the charge for the caller to append (last) in its transaction; none otherwise.
 */
export async function settleCharge(tx: Tx, reference: string, succeeded: boolean): Promise<NewEvent[]> {
  const [hold] = await tx
    .update(ledgerHolds)
    .set({ status: succeeded ? "charged" : "released", endedAt: sql`now()` })
    .where(and(eq(ledgerHolds.reference, reference), eq(ledgerHolds.status, "held")))
    .returning();
  if (!hold) return [];
  await tx
    .update(ledgerAccounts)
    .set({ held: sql`${ledgerAccounts.held} - ${hold.amount}` })
    .where(eq(ledgerAccounts.id, hold.accountId));
  if (!succeeded) return [];
  const [agent] = await tx.select({ name: agents.name }).from(agents).where(eq(agents.id, hold.agentId));
  const feeCents = feeOf(hold.amount, env().PLATFORM_FEE_BPS);
  const legs = [{ accountId: hold.accountId, amount: -hold.amount }];
  if (hold.amount - feeCents > 0) {
    legs.push({
      accountId: await accountOf(tx, { kind: "agent", agentId: hold.agentId }),
      amount: hold.amount - feeCents,
    });
  }
  if (feeCents > 0) legs.push({ accountId: await systemAccount(tx, "platform"), amount: feeCents });
  const what = reference.startsWith("execution:") ? "Run" : "Call";
  const posted = await post(tx, { kind: "charge", memo: `${what}: ${agent?.name ?? "agent"}`, legs });
  await tx.update(ledgerHolds).set({ transactionId: posted!.transactionId }).where(eq(ledgerHolds.id, hold.id));
  return posted!.events;
}

/**
 * Releases the account's invocation holds older than `olderThanMs`: an invocation settles in the process that runs
 * it, so one still held long past the invocation timeout belongs to a process that died before recording it (an
 * unrecorded call is not charged). Executions need no such sweep: every end of theirs goes through settleCharge.
 */
export async function releaseStaleCallHolds(tx: Tx, accountId: string, olderThanMs: number): Promise<void> {
  const stale = await tx
    .select({ reference: ledgerHolds.reference })
    .from(ledgerHolds)
    .where(
      sql`${ledgerHolds.accountId} = ${accountId} AND ${ledgerHolds.status} = 'held'
        AND ${ledgerHolds.reference} LIKE 'invocation:%'
        AND ${ledgerHolds.createdAt} < now() - ${olderThanMs} * interval '1 millisecond'`,
    );
  for (const h of stale) await settleCharge(tx, h.reference, false);
}

export const executionReference = (id: string) => `execution:${id}`;
export const invocationReference = (id: string) => `invocation:${id}`;
