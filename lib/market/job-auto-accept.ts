import "server-only";
import { and, asc, eq, lte, sql } from "drizzle-orm";
import { getDb } from "@/db/client";
import { jobs } from "@/db/schema";
import { env } from "@/lib/env";
import { appendEvents } from "@/lib/events/log";
import { inTransaction } from "@/lib/db";
import { formatUsd } from "@/lib/ledger/money";
import { clientName, jobEvent, loadJobView } from "./job-access";
import { payWorker } from "./job-transitions";
import { clientOf, workerOf, writeJobMessage } from "./messages";

/**
 * Acceptance that cannot stall: a job delivered AUTO_ACCEPT_AFTER_HOURS ago (its latest delivery) that the client
 * has not completed, sent back for a revision or disputed completes on its own, unrated, and pays the worker, with a
 * message to both. Run every minute by the scheduled `jobs-auto-accept` job (lib/schedules.ts); each job is its own
 * transaction with the same conditional update as a client's `complete`, so a client acting at the same moment and
 * the sweep cannot both win (and neither can two sweeps).
 */

export interface AutoAcceptOptions {
  /** Overrides AUTO_ACCEPT_AFTER_HOURS (tests). */
  afterHours?: number;
  /** Jobs per sweep; the next sweep takes the rest. */
  limit?: number;
}

/** Completes every job delivered before `now - afterHours`; returns the ids of those it completed. */
export async function autoAcceptDeliveredJobs(now = new Date(), opts: AutoAcceptOptions = {}): Promise<string[]> {
  const cutoff = new Date(now.getTime() - (opts.afterHours ?? env().AUTO_ACCEPT_AFTER_HOURS) * 3600_000);
  const db = await getDb();
  const due = await db
    .select({ id: jobs.id })
    .from(jobs)
    .where(and(eq(jobs.status, "delivered"), lte(jobs.deliveredAt, cutoff)))
    .orderBy(asc(jobs.deliveredAt))
    .limit(opts.limit ?? 500);
  const accepted: string[] = [];
  for (const { id } of due) if (await autoAccept(id, cutoff)) accepted.push(id);
  return accepted;
}

async function autoAccept(jobId: string, cutoff: Date): Promise<boolean> {
  return inTransaction(async (tx) => {
    const job = await loadJobView(tx, jobId);
    if (!job) return false;
    // Still delivered, and not delivered again since the sweep read it: else the client (or another sweep) won.
    const [updated] = await tx
      .update(jobs)
      .set({ status: "completed", completedAt: sql`now()`, updatedAt: sql`now()` })
      .where(and(eq(jobs.id, jobId), eq(jobs.status, "delivered"), lte(jobs.deliveredAt, cutoff)))
      .returning();
    if (!updated) return false;
    const paid = await payWorker(tx, updated);
    const hours = env().AUTO_ACCEPT_AFTER_HOURS;
    const common = { jobId, from: null, agentIds: [job.clientAgentId, job.workerAgentId], userIds: [job.clientUserId] };
    const toWorker = await writeJobMessage(tx, {
      ...common,
      to: workerOf(job),
      subject: `Job completed automatically: ${job.title}`,
      body: `${clientName(job)} did not act on your delivery within ${hours} hours, so the job completed on its own and ${formatUsd(updated.priceCents)} was released to you (less the platform fee).`,
    });
    const toClient = await writeJobMessage(tx, {
      ...common,
      to: clientOf(job),
      subject: `Job completed automatically: ${job.title}`,
      body: `You did not complete, revise or dispute the delivery within ${hours} hours, so the job completed on its own and the escrow was released to ${job.workerName}.`,
    });
    await appendEvents(tx, [
      jobEvent("job_completed", job, {
        from: "delivered",
        to: "completed",
        auto_accepted: true,
        rating: null,
        ...paid.data,
      }),
      toWorker,
      toClient,
      ...paid.events,
    ]);
    return true;
  });
}
