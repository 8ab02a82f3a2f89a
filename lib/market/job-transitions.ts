import "server-only";
import { and, desc, eq, inArray, sql, type SQL } from "drizzle-orm";
import type { PgUpdateSetSource } from "drizzle-orm/pg-core";
import type { Tx } from "@/db/client";
import { deliverables, jobs } from "@/db/schema";
import { conflict, forbidden, notFound } from "@/lib/api/errors";
import type { Principal } from "@/lib/auth/principal";
import { appendEvents, type NewEvent } from "@/lib/events/log";
import { inTransaction } from "@/lib/db";
import { holderOf } from "@/lib/ledger/accounts";
import { settleEscrow, type EscrowJob } from "@/lib/ledger/escrow";
import { centsToUsd } from "@/lib/ledger/money";
import { insertDeliverable } from "./deliverables";
import { rerunForRevision, stopQueuedRuns } from "./job-auto";
import { clientName, jobEvent, loadJobView, rolesOf, selectJobViews, type JobViewRow } from "./job-access";
import { OPEN_STATUSES, TRANSITIONS, type JobAction } from "./job-machine";
import { getJobDetail } from "./job-read";
import type { JobDetailJson } from "./job-serialize";
import { clientOf, workerOf, writeJobMessage } from "./messages";
import { recomputeReputation } from "./reputation";

/**
 * The transitions of the job state machine (job-machine.ts), each ONE transaction: the conditional update
 * that decides the race, then the deliverable / rating / reputation, the automatic message to the other
 * party, and the events last. The rules, including parent/child jobs and `failed`, are in docs/jobs.md.
 */

interface TransitionSpec {
  action: JobAction;
  eventType: string;
  /**
   * A rule beyond the status, checked in the same conditional update (so a race cannot pass it twice), and the
   * error when the status allowed the action but the rule did not.
   */
  guard?: { where: SQL; refused: (current: { status: string; revisionCount: number; maxRevisions: number }) => Error };
  /** Columns to set besides status and updated_at. */
  set?: PgUpdateSetSource<typeof jobs>;
  /** Runs after the conditional update won: deliverables, money, reputation. Returns extra event data and events. */
  after?: (
    tx: Tx,
    updated: typeof jobs.$inferSelect,
    job: JobViewRow,
  ) => Promise<{ data?: Record<string, unknown>; events?: NewEvent[] }>;
  message: (job: JobViewRow) => { subject: string; body: string };
}

async function transition(principal: Principal, jobId: string, spec: TransitionSpec): Promise<JobDetailJson> {
  const rule = TRANSITIONS[spec.action];
  await inTransaction(async (tx) => {
    const job = await loadJobView(tx, jobId);
    const roles = job ? await rolesOf(tx, principal, job) : [];
    if (!job || roles.length === 0) throw notFound("Job");
    if (!roles.includes(rule.role)) {
      throw forbidden(`Only the job's ${rule.role} may ${spec.action} it`, { action: spec.action, role: rule.role });
    }
    const [updated] = await tx
      .update(jobs)
      .set({ ...spec.set, status: rule.to, updatedAt: sql`now()` })
      .where(and(eq(jobs.id, jobId), inArray(jobs.status, [...rule.from]), spec.guard?.where))
      .returning();
    if (!updated) {
      const [current] = await tx
        .select({ status: jobs.status, revisionCount: jobs.revisionCount, maxRevisions: jobs.maxRevisions })
        .from(jobs)
        .where(eq(jobs.id, jobId));
      if (spec.guard && current && rule.from.includes(current.status)) throw spec.guard.refused(current);
      throw conflict(`Cannot ${spec.action} a job that is ${current?.status ?? job.status}`, {
        status: current?.status ?? job.status,
        action: spec.action,
      });
    }
    const extra = (await spec.after?.(tx, updated, job)) ?? {};
    const text = spec.message(job);
    const message = await writeJobMessage(tx, {
      jobId,
      to: rule.role === "client" ? workerOf(job) : clientOf(job),
      from: null,
      subject: text.subject,
      body: text.body,
      agentIds: [job.clientAgentId, job.workerAgentId],
      userIds: [job.clientUserId],
    });
    await appendEvents(tx, [
      jobEvent(spec.eventType, job, { from: job.status, to: rule.to, ...extra.data }),
      message,
      ...(extra.events ?? []),
    ]);
  });
  return getJobDetail(principal, jobId);
}

// POST /api/jobs/{id}/start
export function startJob(principal: Principal, jobId: string) {
  return transition(principal, jobId, {
    action: "start",
    eventType: "job_started",
    set: { startedAt: sql`now()` },
    message: (job) => ({ subject: `Job started: ${job.title}`, body: `${job.workerName} started work on your job.` }),
  });
}

// POST /api/jobs/{id}/deliver
export function deliverJob(principal: Principal, jobId: string, input: { content: string; content_type?: string }) {
  return transition(principal, jobId, {
    action: "deliver",
    eventType: "job_delivered",
    set: { deliveredAt: sql`now()` },
    after: async (tx, updated) => {
      const open = await tx
        .select({ id: jobs.id, status: jobs.status })
        .from(jobs)
        .where(and(eq(jobs.parentJobId, jobId), inArray(jobs.status, [...OPEN_STATUSES])));
      if (open.length > 0) {
        throw conflict("Cannot deliver while sub-jobs are still open", {
          status: "open_children",
          action: "deliver",
          open_children: open.map((c) => ({ id: c.id, status: c.status })),
        });
      }
      const d = await insertDeliverable(tx, {
        jobId,
        revision: updated.revisionCount + 1,
        content: input.content,
        contentType: input.content_type,
      });
      return { data: { revision: d.revision, deliverable_id: d.id } };
    },
    message: (job) => ({
      subject: `Work delivered: ${job.title}`,
      body: `${job.workerName} delivered revision ${job.revisionCount + 1}. Complete the job with a rating or request a revision.`,
    }),
  });
}

// POST /api/jobs/{id}/request-revision
export function requestRevision(principal: Principal, jobId: string, input: { reason: string }) {
  return transition(principal, jobId, {
    action: "request-revision",
    eventType: "job_revision_requested",
    // At most max_revisions requests (copied from the service at hire); past it the client completes or disputes.
    guard: {
      where: sql`${jobs.revisionCount} < ${jobs.maxRevisions}`,
      refused: (current) =>
        conflict(`This job has had its ${current.maxRevisions} revision(s); complete it or open a dispute`, {
          status: current.status,
          action: "request-revision",
          reason: "max_revisions_reached",
          revision_count: current.revisionCount,
          max_revisions: current.maxRevisions,
        }),
    },
    set: { revisionCount: sql`${jobs.revisionCount} + 1` },
    // An auto-fulfilled job: its agent runs again with the reason (job-auto.ts).
    after: async (tx, updated) => ({
      data: { revision_count: updated.revisionCount },
      events: await rerunForRevision(tx, jobId, input.reason),
    }),
    message: (job) => ({ subject: `Revision requested: ${job.title}`, body: input.reason }),
  });
}

// POST /api/jobs/{id}/complete
export function completeJob(principal: Principal, jobId: string, input: { rating: number; review?: string }) {
  return transition(principal, jobId, {
    action: "complete",
    eventType: "job_completed",
    set: { completedAt: sql`now()`, rating: input.rating, review: input.review ?? null },
    after: async (tx, updated) => {
      const done = await payWorker(tx, updated);
      return { data: { rating: input.rating, ...done.data }, events: done.events };
    },
    message: (job) => ({
      subject: `Job completed: ${job.title}`,
      body: `${clientName(job)} accepted your work and rated it ${input.rating}/5.${input.review ? `\n\n${input.review}` : ""}`,
    }),
  });
}

// POST /api/jobs/{id}/cancel
export function cancelJob(principal: Principal, jobId: string, input: { reason?: string }) {
  return transition(principal, jobId, {
    action: "cancel",
    eventType: "job_cancelled",
    set: { cancelledAt: sql`now()`, cancelReason: input.reason ?? null },
    after: async (tx, updated, job) => {
      const paid = await refund(tx, updated, job);
      return { ...paid, events: [...paid.events, ...(await stopQueuedRuns(tx, jobId))] };
    },
    message: (job) => ({
      subject: `Job cancelled: ${job.title}`,
      body: input.reason
        ? `${clientName(job)} cancelled the job: ${input.reason}`
        : `${clientName(job)} cancelled the job.`,
    }),
  });
}

/**
 * Completed (by the client, or automatically): the escrow to the worker less the fee, with the receipt's
 * deliverable hash, and the worker's reputation recomputed. Returns the event data and the events to append.
 */
export async function payWorker(tx: Tx, updated: typeof jobs.$inferSelect) {
  const paid = await settleEscrow(tx, updated, {
    release: { kind: "agent", agentId: updated.workerAgentId },
    deliverableSha256: await latestDeliverableSha256(tx, updated.id),
  });
  const { event, change } = await recomputeReputation(tx, updated.workerAgentId);
  return {
    data: {
      price_usd: centsToUsd(updated.priceCents),
      price_cents: updated.priceCents,
      fee_cents: paid?.feeCents ?? null,
      settle_transaction_id: paid?.transactionId ?? null,
      reputation: change.reputation,
    },
    events: [event, ...(paid?.events ?? [])],
  };
}

/** Cancelled or failed: the escrow goes back to the client who paid it. */
export async function refund(
  tx: Tx,
  updated: EscrowJob,
  job: { clientAgentId: string | null; clientUserId: string | null },
) {
  const paid = await settleEscrow(tx, updated, {
    refund: holderOf({ agentId: job.clientAgentId, userId: job.clientUserId }),
  });
  return { data: { settle_transaction_id: paid?.transactionId ?? null }, events: paid?.events ?? [] };
}

/** SHA-256 (hex) of the job's latest deliverable, the one the client accepts, for the receipt. */
export async function latestDeliverableSha256(tx: Tx, jobId: string): Promise<string | null> {
  const [row] = await tx
    .select({ sha: sql<string>`encode(sha256(convert_to(${deliverables.content}, 'UTF8')), 'hex')` })
    .from(deliverables)
    .where(eq(deliverables.jobId, jobId))
    .orderBy(desc(deliverables.revision))
    .limit(1);
  return row?.sha ?? null;
}

// Failure: only the platform fails a job (see jobs.ts).

/**
 * Fails every open job of a worker agent that is being retired, inside the caller's transaction (the
 * agent-retirement transaction), and cancels the pending children of those jobs. Writes the automatic
 * messages and returns the events (job_failed, job_cancelled, message_created) for the caller to append
 * last, together with its own.
 */
export async function failJobsOfRetiredWorker(tx: Tx, agentId: string): Promise<NewEvent[]> {
  const failed = await tx
    .update(jobs)
    .set({ status: "failed", failureReason: "The worker agent was retired", updatedAt: sql`now()` })
    .where(and(eq(jobs.workerAgentId, agentId), inArray(jobs.status, [...OPEN_STATUSES])))
    .returning({ id: jobs.id, status: jobs.status });
  const events: NewEvent[] = [];
  if (failed.length === 0) return events;
  const failedIds = failed.map((f) => f.id);
  const cancelled = await tx
    .update(jobs)
    .set({
      status: "cancelled",
      cancelledAt: sql`now()`,
      cancelReason: "The parent job failed",
      updatedAt: sql`now()`,
    })
    .where(and(inArray(jobs.parentJobId, failedIds), eq(jobs.status, "pending")))
    .returning({ id: jobs.id });
  const views = await selectJobViews(tx).where(inArray(jobs.id, [...failedIds, ...cancelled.map((c) => c.id)]));
  for (const job of views) {
    const isFailed = job.status === "failed";
    events.push(...(await refund(tx, job, job)).events);
    events.push(
      jobEvent(isFailed ? "job_failed" : "job_cancelled", job, {
        to: job.status,
        reason: isFailed ? job.failureReason : job.cancelReason,
      }),
    );
    events.push(
      await writeJobMessage(tx, {
        jobId: job.id,
        // A failed job tells its client; a cancelled child tells its worker (its client is the retired agent).
        to: isFailed ? clientOf(job) : workerOf(job),
        from: null,
        subject: `${isFailed ? "Job failed" : "Job cancelled"}: ${job.title}`,
        body: isFailed ? (job.failureReason ?? "") : (job.cancelReason ?? ""),
        agentIds: [job.clientAgentId, job.workerAgentId],
        userIds: [job.clientUserId],
      }),
    );
  }
  return events;
}
