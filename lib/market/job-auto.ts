import "server-only";
import { and, eq, inArray, lte, gte, sql } from "drizzle-orm";
import { getDb, type Tx } from "@/db/client";
import { agentRoutes, agents, executions, jobs, services } from "@/db/schema";
import { conflict } from "@/lib/api/errors";
import { env } from "@/lib/env";
import type { NewEvent } from "@/lib/events/log";
import { executionEvent } from "@/lib/runtime/lifecycle";
import { sendExecute } from "@/lib/runtime/execute/queue";
import type { ExecutionRow } from "@/lib/runtime/types";
import { insertDeliverable } from "./deliverables";
import { deliverableOf } from "./deliverable-of";
import { jobEvent, loadJobView, type JobViewRow } from "./job-access";
import { TRANSITIONS } from "./job-machine";
import { refund } from "./job-transitions";
import { clientOf, writeJobMessage } from "./messages";

/**
 * Services the platform fulfils itself (`fulfilment: "auto"`): a hire queues an execution of the service's bound
 * deployed agent with the job's input_data; the execution's start moves the job to in_progress, its completion
 * delivers its output, its final failure fails the job (refunded, the client told), and a revision request runs
 * it again with the reason in the input. Each job change happens in the transaction of the execution change
 * that causes it (lib/runtime/execute/claim.ts and finish.ts call in here), with the job's messages and events.
 */

interface Binding {
  agentId: string;
  environment: "dev" | "staging" | "prod";
  outputType: string;
}

async function bindingOf(tx: Tx, serviceId: string): Promise<Binding | null> {
  const [svc] = await tx
    .select({
      fulfilment: services.fulfilment,
      agentId: services.fulfilmentAgentId,
      environment: services.fulfilmentEnvironment,
      outputType: services.outputType,
    })
    .from(services)
    .where(eq(services.id, serviceId));
  if (svc?.fulfilment !== "auto" || !svc.agentId || !svc.environment) return null;
  return { agentId: svc.agentId, environment: svc.environment, outputType: svc.outputType };
}

/** Queues the job's execution (in the caller's transaction); returns its event for the caller to append last. */
async function queueRun(tx: Tx, job: JobViewRow, b: Binding, input: Record<string, unknown>): Promise<NewEvent[]> {
  const [row] = await tx
    .insert(executions)
    .values({
      agentId: b.agentId,
      // The client hired it, so the client started it (and may read it).
      startedByAgentId: job.clientAgentId,
      startedByUserId: job.clientAgentId ? null : job.clientUserId,
      host: "deployed",
      status: "queued",
      input,
      timeoutS: env().EXECUTION_DEFAULT_TIMEOUT_S,
      environment: b.environment,
      priority: 1,
      context: { metadata: { job_id: job.id, service_id: job.serviceId, revision: job.revisionCount } },
      retryConfig: { max_retries: 3, retry_delay: 1, backoff_multiplier: 2 },
      jobId: job.id,
      queuedAt: sql`now()`,
      dueAt: sql`now()`,
    })
    .returning();
  if (!row) throw new Error("execution insert returned nothing");
  await sendExecute(tx, row.id, row.priority);
  return [executionEvent(row)];
}

/**
 * At hire: an auto-fulfilled service's job gets its execution queued. Nothing for a manual one. A 409 when the
 * bound agent is not deployed there any more (retired, or its route serves nothing): the hire would only fail.
 */
export async function queueAutoFulfilment(tx: Tx, job: JobViewRow): Promise<NewEvent[]> {
  const b = await bindingOf(tx, job.serviceId);
  if (!b) return [];
  if (!(await isServing(tx, b))) {
    throw conflict(
      `This service is delivered automatically, but its agent is not deployed in ${b.environment} at the moment; try again later`,
      { fulfilment_agent_id: b.agentId, fulfilment_environment: b.environment },
    );
  }
  return queueRun(tx, job, b, job.inputData);
}

/** The bound agent is live: not retired, and its environment's route sends traffic to some version. */
async function isServing(tx: Tx, b: Binding): Promise<boolean> {
  const [r] = await tx
    .select({ weights: agentRoutes.weights, status: agents.status })
    .from(agentRoutes)
    .innerJoin(agents, eq(agents.id, agentRoutes.agentId))
    .where(and(eq(agentRoutes.agentId, b.agentId), eq(agentRoutes.environment, b.environment)));
  return !!r && r.status !== "retired" && r.weights.some((w) => w.weight > 0);
}

/** At a revision request: the agent runs again, with the client's reason added to the input. */
export async function rerunForRevision(tx: Tx, jobId: string, reason: string): Promise<NewEvent[]> {
  const job = await loadJobView(tx, jobId);
  const b = job ? await bindingOf(tx, job.serviceId) : null;
  if (!job || !b) return [];
  return queueRun(tx, job, b, { ...job.inputData, revision_reason: reason });
}

/** At a cancel (pending only): the job's queued execution will not run. */
export async function stopQueuedRuns(tx: Tx, jobId: string): Promise<NewEvent[]> {
  const stopped = await tx
    .update(executions)
    .set({ status: "stopped", stoppedReason: "The job was cancelled", endTime: sql`now()`, updatedAt: sql`now()` })
    .where(and(eq(executions.jobId, jobId), eq(executions.status, "queued")))
    .returning();
  return stopped.map(executionEvent);
}

/** Locks the job's row first, so that a claim and a cancel of the same job take their locks in one order. */
export async function lockJob(tx: Tx, jobId: string): Promise<void> {
  await tx.select({ id: jobs.id }).from(jobs).where(eq(jobs.id, jobId)).for("update");
}

/** The execution started (its first attempt was claimed): a pending job is in progress. */
export async function jobRunStarted(tx: Tx, row: ExecutionRow): Promise<NewEvent[]> {
  if (!row.jobId || row.attempt !== 1) return [];
  const rule = TRANSITIONS.start;
  const [updated] = await tx
    .update(jobs)
    .set({ status: rule.to, startedAt: sql`now()`, updatedAt: sql`now()` })
    .where(and(eq(jobs.id, row.jobId), inArray(jobs.status, [...rule.from])))
    .returning({ id: jobs.id });
  const job = updated ? await loadJobView(tx, updated.id) : null;
  if (!job) return [];
  const message = await writeJobMessage(tx, {
    jobId: job.id,
    to: clientOf(job),
    from: null,
    subject: `Job started: ${job.title}`,
    body: `${job.workerName} started work on your job automatically.`,
    agentIds: [job.clientAgentId, job.workerAgentId],
    userIds: [job.clientUserId],
  });
  return [
    jobEvent("job_started", job, { from: "pending", to: rule.to, execution_id: row.id, automatic: true }),
    message,
  ];
}

/**
 * The execution ended for good: completed delivers its output; failed, timed out or stopped (by its starter, the
 * agent's owner or the agent's retirement) fails the job, refunded. A cancelled job's queued runs are stopped by
 * stopQueuedRuns, which does not come through here: the cancel has refunded already.
 */
export async function jobRunEnded(tx: Tx, row: ExecutionRow): Promise<NewEvent[]> {
  if (!row.jobId) return [];
  if (row.status === "completed") return deliverRun(tx, row, row.jobId);
  if (row.status === "failed" || row.status === "timeout" || row.status === "stopped") {
    return failRun(tx, row, row.jobId);
  }
  return [];
}

async function deliverRun(tx: Tx, row: ExecutionRow, jobId: string): Promise<NewEvent[]> {
  const before = await loadJobView(tx, jobId);
  const rule = TRANSITIONS.deliver;
  const [updated] = await tx
    .update(jobs)
    .set({ status: rule.to, deliveredAt: sql`now()`, updatedAt: sql`now()` })
    .where(and(eq(jobs.id, jobId), inArray(jobs.status, [...rule.from])))
    .returning({ revisionCount: jobs.revisionCount });
  if (!before || !updated) return [];
  const [svc] = await tx
    .select({ outputType: services.outputType })
    .from(services)
    .where(eq(services.id, before.serviceId));
  const d = await insertDeliverable(tx, {
    jobId,
    revision: updated.revisionCount + 1,
    ...deliverableOf(row.output, svc?.outputType ?? "text"),
  });
  const message = await writeJobMessage(tx, {
    jobId,
    to: clientOf(before),
    from: null,
    subject: `Work delivered: ${before.title}`,
    body: `${before.workerName} delivered revision ${d.revision} automatically. Complete the job with a rating or request a revision.`,
    agentIds: [before.clientAgentId, before.workerAgentId],
    userIds: [before.clientUserId],
  });
  return [
    jobEvent("job_delivered", before, {
      from: before.status,
      to: rule.to,
      revision: d.revision,
      deliverable_id: d.id,
      execution_id: row.id,
      automatic: true,
    }),
    message,
  ];
}

async function failRun(tx: Tx, row: ExecutionRow, jobId: string): Promise<NewEvent[]> {
  const what = row.status === "timeout" ? "timed out" : row.status === "stopped" ? "was stopped" : "failed";
  const why = row.error?.message ?? row.stoppedReason ?? "no reason given";
  const reason = `The agent's run ${what}: ${why}`.slice(0, 1000);
  const [updated] = await tx
    .update(jobs)
    .set({ status: "failed", failureReason: reason, updatedAt: sql`now()` })
    .where(and(eq(jobs.id, jobId), inArray(jobs.status, ["pending", "in_progress", "revision_requested"])))
    .returning();
  const job = updated ? await loadJobView(tx, jobId) : null;
  if (!updated || !job) return [];
  const paid = await refund(tx, updated, job);
  const message = await writeJobMessage(tx, {
    jobId,
    to: clientOf(job),
    from: null,
    subject: `Job failed: ${job.title}`,
    body: `${reason}\n\nThe price was refunded to you.`,
    agentIds: [job.clientAgentId, job.workerAgentId],
    userIds: [job.clientUserId],
  });
  return [
    ...paid.events,
    jobEvent("job_failed", job, { to: "failed", reason, execution_id: row.id, automatic: true }),
    message,
  ];
}

/**
 * Auto-fulfilled jobs that a version served (their delivered run ran on it) and that the client rated 1 or 2
 * since `since`: buyers' verdicts, which the rollout counts as errors of that version (controller/evaluate.ts).
 */
export async function badRatingsServedBy(q: {
  agentId: string;
  environment: string;
  version: string;
  since: Date;
}): Promise<number> {
  const db = await getDb();
  const [row] = await db
    .select({ n: sql<number>`count(DISTINCT ${jobs.id})`.mapWith(Number) })
    .from(jobs)
    .innerJoin(executions, eq(executions.jobId, jobs.id))
    .where(
      and(
        eq(executions.agentId, q.agentId),
        eq(executions.environment, q.environment as "prod"),
        eq(executions.version, q.version),
        eq(executions.status, "completed"),
        lte(jobs.rating, 2),
        gte(jobs.completedAt, q.since),
      ),
    );
  return row?.n ?? 0;
}
