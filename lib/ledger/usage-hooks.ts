import "server-only";
import { randomUUID } from "node:crypto";
import type { Queryable, Tx } from "@/db/client";
import { partyOf, type Principal } from "@/lib/auth/principal";
import { inTransaction } from "@/lib/db";
import { env } from "@/lib/env";
import { appendEvents, type NewEvent } from "@/lib/events/log";
import { accountOf, holderOf } from "./accounts";
import {
  checkMaxCharge,
  executionReference,
  holdCharge,
  invocationReference,
  loadPricedAgent,
  priceFor,
  releaseStaleCallHolds,
  settleCharge,
  type PricedAgent,
} from "./usage";

/** An invocation hold this many invocation timeouts old was left by a process that died (releaseStaleCallHolds). */
const STALE_CALL_HOLD_FACTOR = 3;

/*
 * The calls the run and invoke paths make into pay per use (lib/ledger/usage.ts), one per step, so that
 * lib/runtime and lib/invoke carry no money logic: check up front, hold at the start, settle at the end.
 */

/** Before anything is written: 402 when the run's price is over the request's `max_charge`. */
export async function checkRunPrice(
  db: Queryable,
  principal: Principal,
  agent: PricedAgent,
  maxCharge: number | undefined,
): Promise<void> {
  const price = await priceFor(db, principal, agent, "run");
  if (price !== null) checkMaxCharge(price, maxCharge);
}

/** In the transaction that records a new execution: hold its price on the caller's account (402 if short). */
export async function holdForRun(
  tx: Tx,
  principal: Principal,
  agent: PricedAgent,
  executionId: string,
  maxCharge: number | undefined,
): Promise<void> {
  const price = await priceFor(tx, principal, agent, "run");
  if (price === null) return;
  await holdCharge(tx, {
    principal,
    agentId: agent.id,
    amount: price,
    reference: executionReference(executionId),
    maxCharge,
  });
}

/**
 * In the transaction that ends an execution: charges its hold if it completed, releases it if it failed, timed
 * out or was stopped. Returns the wallet events to append with the execution's own (none for a free run).
 */
export async function settleRun(tx: Tx, row: { id: string; status: string }): Promise<NewEvent[]> {
  if (!["completed", "failed", "timeout", "stopped"].includes(row.status)) return [];
  return settleCharge(tx, executionReference(row.id), row.status === "completed");
}

/**
 * Before an invocation contacts the agent: holds `price_per_call` on the caller's account in its own transaction
 * (402 if over `maxCharge` or short). Returns the reference to settle at the end, or null when the call is free.
 */
export async function holdForCall(
  db: Queryable,
  principal: Principal,
  agentId: string | null,
  maxCharge: number | undefined,
): Promise<string | null> {
  const agent = agentId ? await loadPricedAgent(db, agentId) : null;
  const price = agent ? await priceFor(db, principal, agent, "call") : null;
  if (!agent || price === null) return null;
  const reference = invocationReference(randomUUID());
  await inTransaction(async (tx) => {
    const accountId = await accountOf(tx, holderOf(partyOf(principal)));
    await releaseStaleCallHolds(tx, accountId, STALE_CALL_HOLD_FACTOR * env().INVOKE_TIMEOUT_MS);
    await holdCharge(tx, { principal, agentId: agent.id, amount: price, reference, maxCharge });
  });
  return reference;
}

/** In the transaction that records the invocation's outcome: charged when it answered in full ("ok"). */
export async function settleCall(tx: Tx, reference: string | null, outcome: string): Promise<NewEvent[]> {
  return reference ? settleCharge(tx, reference, outcome === "ok") : [];
}

/** When the outcome could not be recorded: the hold is released on its own (an unrecorded call is not charged). */
export async function releaseCall(reference: string | null): Promise<void> {
  if (!reference) return;
  await inTransaction(async (tx) => appendEvents(tx, await settleCharge(tx, reference, false)));
}
