import "server-only";
import { and, eq, inArray, sql } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { disputes, jobs } from "@/db/schema";
import { conflict, forbidden, notFound, unprocessable } from "@/lib/api/errors";
import { isOperator } from "@/lib/auth/operator";
import type { Principal } from "@/lib/auth/principal";
import { inTransaction } from "@/lib/db";
import { appendEvents, type NewEvent } from "@/lib/events/log";
import { holderOf } from "@/lib/ledger/accounts";
import { settleEscrow } from "@/lib/ledger/escrow";
import { formatUsd } from "@/lib/ledger/money";
import { getDispute, type DisputeJson } from "./dispute-read";
import { jobEvent, loadJobView, rolesOf, type JobViewRow } from "./job-access";
import { DISPUTE_FROM } from "./job-machine";
import { latestDeliverableSha256, payWorker } from "./job-transitions";
import { clientOf, workerOf, writeJobMessage } from "./messages";

/**
 * Disputes (docs/jobs.md): a party of a delivered job opens one, which parks the job in `disputed` with its escrow
 * still held (the auto-accept sweep only takes `delivered` jobs); an admin (a person in OPERATOR_EMAILS) resolves
 * it with a refund, a release or a split. Each is ONE transaction: the conditional update that decides the race,
 * the dispute row, the ledger transaction (under the job's settle-once key), a message to each party, events last.
 */

export type Resolution = "refund" | "release" | "split";

/** A system message to both parties of a job, returning their message_created events. */
async function tellBoth(tx: Tx, job: JobViewRow, subject: string, body: string): Promise<NewEvent[]> {
  const common = { jobId: job.id, from: null, subject, body };
  const ids = { agentIds: [job.clientAgentId, job.workerAgentId], userIds: [job.clientUserId] };
  return [
    await writeJobMessage(tx, { ...common, ...ids, to: clientOf(job) }),
    await writeJobMessage(tx, { ...common, ...ids, to: workerOf(job) }),
  ];
}

// POST /api/jobs/{id}/dispute
export async function openDispute(principal: Principal, jobId: string, input: { reason: string }) {
  const id = await inTransaction(async (tx) => {
    const job = await loadJobView(tx, jobId);
    const roles = job ? await rolesOf(tx, principal, job) : [];
    if (!job || roles.length === 0) throw notFound("Job");
    const openedBy = roles.includes("client") ? "client" : "worker";
    const [updated] = await tx
      .update(jobs)
      .set({ status: "disputed", updatedAt: sql`now()` })
      .where(and(eq(jobs.id, jobId), inArray(jobs.status, [...DISPUTE_FROM])))
      .returning({ status: jobs.status });
    if (!updated) {
      const [now] = await tx.select({ status: jobs.status }).from(jobs).where(eq(jobs.id, jobId));
      throw conflict(`Cannot dispute a job that is ${now?.status ?? job.status}`, {
        status: now?.status ?? job.status,
        action: "dispute",
      });
    }
    const [dispute] = await tx
      .insert(disputes)
      .values({
        jobId,
        openedBy,
        openedByUserId: principal.kind === "user" ? principal.userId : null,
        openedByAgentId: principal.kind === "agent" ? principal.agentId : null,
        reason: input.reason,
      })
      .returning({ id: disputes.id });
    const who = openedBy === "client" ? "The client" : "The worker";
    const told = await tellBoth(
      tx,
      job,
      `Dispute opened: ${job.title}`,
      `${who} disputed the delivery: ${input.reason}\n\nThe ${formatUsd(job.priceCents)} stays in escrow until an admin resolves the dispute.`,
    );
    await appendEvents(tx, [
      jobEvent("job_disputed", job, { from: job.status, to: "disputed", dispute_id: dispute!.id, opened_by: openedBy }),
      ...told,
    ]);
    return dispute!.id;
  });
  return getDispute(principal, id);
}

// POST /api/disputes/{id}/resolve
export async function resolveDispute(
  principal: Principal,
  disputeId: string,
  input: { resolution: Resolution; client_cents?: number; note?: string },
): Promise<DisputeJson> {
  if (!isOperator(principal)) throw forbidden("Only an admin may resolve a dispute", { role: "admin" });
  if (input.resolution !== "split" && input.client_cents !== undefined) {
    throw unprocessable("client_cents is for a split only", { fields: { client_cents: "only with split" } });
  }
  await inTransaction(async (tx) => {
    const [found] = await tx.select().from(disputes).where(eq(disputes.id, disputeId)).limit(1);
    const job = found ? await loadJobView(tx, found.jobId) : undefined;
    if (!found || !job) throw notFound("Dispute");
    const clientCents = input.resolution === "refund" ? job.priceCents : (input.client_cents ?? 0);
    if (input.resolution === "split" && !(clientCents > 0 && clientCents < job.priceCents)) {
      throw unprocessable(`A split returns more than nothing and less than the price (${job.priceCents} cents)`, {
        fields: { client_cents: `must be between 1 and ${job.priceCents - 1}` },
        price_cents: job.priceCents,
      });
    }
    // The race: one conditional update per row; a second resolution (or a lost one) changes nothing and is a 409.
    const [won] = await tx
      .update(disputes)
      .set({
        status: "resolved",
        resolution: input.resolution,
        clientCents,
        note: input.note ?? null,
        resolvedBy: principal.kind === "user" ? principal.userId : null,
        resolvedAt: sql`now()`,
        updatedAt: sql`now()`,
      })
      .where(and(eq(disputes.id, disputeId), eq(disputes.status, "open")))
      .returning({ id: disputes.id });
    if (!won) throw conflict("This dispute is already resolved", { status: "resolved", action: "resolve" });
    const refund = input.resolution === "refund";
    const reason = `Dispute resolved with a refund${input.note ? `: ${input.note}` : ""}`;
    const [updated] = await tx
      .update(jobs)
      .set(
        refund
          ? { status: "cancelled", cancelledAt: sql`now()`, cancelReason: reason, updatedAt: sql`now()` }
          : { status: "completed", completedAt: sql`now()`, updatedAt: sql`now()` },
      )
      .where(and(eq(jobs.id, job.id), eq(jobs.status, "disputed")))
      .returning();
    if (!updated) throw conflict(`The job is ${job.status}, no longer disputed`, { status: job.status });
    const settled = await settle(tx, updated, job, input.resolution, clientCents);
    await tx.update(disputes).set({ settleTransactionId: settled.transactionId }).where(eq(disputes.id, disputeId));
    const told = await tellBoth(
      tx,
      job,
      `Dispute resolved: ${job.title}`,
      outcome(input.resolution, clientCents, job, input.note),
    );
    await appendEvents(tx, [
      jobEvent("job_dispute_resolved", job, {
        from: "disputed",
        to: updated.status,
        dispute_id: disputeId,
        resolution: input.resolution,
        client_cents: clientCents,
        settle_transaction_id: settled.transactionId,
      }),
      ...told,
      ...settled.events,
    ]);
  });
  return getDispute(principal, disputeId);
}

/** The one ledger transaction of the resolution (null id: a job hired before the ledger, nothing held). */
async function settle(tx: Tx, updated: typeof jobs.$inferSelect, job: JobViewRow, r: Resolution, clientCents: number) {
  const client = holderOf({ agentId: job.clientAgentId, userId: job.clientUserId });
  if (r === "release") {
    const paid = await payWorker(tx, updated);
    return { transactionId: paid.data.settle_transaction_id, events: paid.events };
  }
  const paid = await settleEscrow(
    tx,
    updated,
    r === "refund"
      ? { refund: client }
      : {
          split: { client, worker: { kind: "agent", agentId: job.workerAgentId }, clientCents },
          deliverableSha256: await latestDeliverableSha256(tx, job.id),
        },
  );
  return { transactionId: paid?.transactionId ?? null, events: paid?.events ?? [] };
}

function outcome(r: Resolution, clientCents: number, job: JobViewRow, note?: string): string {
  const text =
    r === "refund"
      ? `An admin refunded the ${formatUsd(job.priceCents)} to the client; the job is cancelled.`
      : r === "release"
        ? `An admin released the ${formatUsd(job.priceCents)} to ${job.workerName} (less the platform fee); the job is completed.`
        : `An admin split the ${formatUsd(job.priceCents)}: ${formatUsd(clientCents)} back to the client, the rest to ${job.workerName} (less the platform fee); the job is completed.`;
  return note ? `${text}\n\n${note}` : text;
}
