import "server-only";
import { randomUUID } from "node:crypto";
import { and, eq, inArray, notInArray, sql } from "drizzle-orm";
import { getDb, type Tx } from "@/db/client";
import { agents, jobs, services } from "@/db/schema";
import { conflict, forbidden, notFound, unprocessable } from "@/lib/api/errors";
import { holderOf } from "@/lib/ledger/accounts";
import { holdEscrow } from "@/lib/ledger/escrow";
import { centsToUsd, formatUsd } from "@/lib/ledger/money";
import { partyOf, type PartyRef, type Principal } from "@/lib/auth/principal";
import { appendEvents } from "@/lib/events/log";
import { inTransaction } from "@/lib/db";
import { hireOnce, type BindHireKey } from "./hire-keys";
import { queueAutoFulfilment } from "./job-auto";
import { checkInputs } from "./job-inputs";
import { clientName, jobEvent, loadJobView, rolesOf } from "./job-access";
import { CAN_HIRE_CHILDREN_IN, OPEN_STATUSES } from "./job-machine";
import { getJobDetail } from "./job-read";
import { jobJson, type JobJson } from "./job-serialize";
import { workerOf, writeJobMessage } from "./messages";

// Reading (list, detail) and the transitions live beside this file; this is the one module to import.
export { getJobDetail, listJobs } from "./job-read";
export {
  cancelJob,
  completeJob,
  deliverJob,
  failJobsOfRetiredWorker,
  requestRevision,
  startJob,
} from "./job-transitions";

/**
 * Jobs: hiring (here), listing and the detail (job-read.ts), and the transitions (job-transitions.ts over the
 * table in job-machine.ts). Import them all from this module. The rules (who may do what from which status,
 * the one transaction per change, parent and child jobs, `failed`) are written once, in docs/jobs.md.
 */

export interface HireInput {
  service_id: string;
  title: string;
  input_data: Record<string, unknown>;
  parent_job_id?: string | null;
  /** The most the caller will pay (MCP's `max_price`): checked against the price this hire charges, in its transaction. */
  max_price_cents?: number;
  /** The caller's key for this hire (A2A messageId, MCP idempotency key): a retry returns the first hire's job. */
  request_key?: string;
}

/**
 * Hires a service: a pending job at the service's current price, the price moved from the client's balance into
 * the job's escrow (402 with the shortfall when it cannot be), and a message to the worker.
 */
export async function hireJob(principal: Principal, input: HireInput): Promise<JobJson> {
  const id = await hireOnce(principal, input.request_key, (bindKey) => hireInTransaction(principal, input, bindKey));
  const view = await loadJobView(await getDb(), id);
  return jobJson(view!);
}

/** The hire itself, one transaction; `bindKey` records the request key beside the new job (hire-keys.ts). */
function hireInTransaction(principal: Principal, input: HireInput, bindKey: BindHireKey): Promise<string> {
  return inTransaction(async (tx) => {
    const [svc] = await tx
      .select({
        id: services.id,
        agentId: services.agentId,
        priceCents: services.priceCents,
        maxRevisions: services.maxRevisions,
        requiredInputs: services.requiredInputs,
        active: services.active,
        agentStatus: agents.status,
        agentOwner: agents.ownerUserId,
      })
      .from(services)
      .innerJoin(agents, eq(agents.id, services.agentId))
      .where(eq(services.id, input.service_id))
      .limit(1);
    if (!svc) throw notFound("Service");
    if (input.max_price_cents !== undefined && svc.priceCents > input.max_price_cents) {
      throw unprocessable("The service costs more than max_price", {
        reason: "price_above_max",
        price_usd: centsToUsd(svc.priceCents),
        max_price: centsToUsd(input.max_price_cents),
      });
    }

    let client: PartyRef = partyOf(principal);
    const parentId = input.parent_job_id ?? null;
    if (parentId) client = await checkParent(tx, principal, parentId, svc.priceCents);

    const own = client.agentId ? client.agentId === svc.agentId : svc.agentOwner === client.userId;
    if (own) throw unprocessable("You cannot hire your own service", { reason: "own_service" });
    if (!svc.active) throw unprocessable("This service is not active", { reason: "service_inactive" });
    if (svc.agentStatus === "retired") {
      throw unprocessable("The agent offering this service is retired", { reason: "worker_retired" });
    }
    const fields = checkInputs(svc.requiredInputs, input.input_data);
    if (fields) throw unprocessable("input_data does not match the service's required_inputs", { fields });

    const hireTransactionId = randomUUID();
    const [row] = await tx
      .insert(jobs)
      .values({
        serviceId: svc.id,
        clientAgentId: client.agentId,
        clientUserId: client.agentId ? null : client.userId,
        workerAgentId: svc.agentId,
        parentJobId: parentId,
        title: input.title,
        inputData: input.input_data,
        priceCents: svc.priceCents,
        maxRevisions: svc.maxRevisions,
        hireTransactionId,
      })
      .returning({ id: jobs.id });
    await bindKey(tx, row!.id);
    const paid = await holdEscrow(
      tx,
      { id: row!.id, title: input.title, priceCents: svc.priceCents, hireTransactionId },
      holderOf(client),
    );
    const job = await loadJobView(tx, row!.id);
    if (!job) throw new Error("inserted job not found");
    const message = await writeJobMessage(tx, {
      jobId: job.id,
      to: workerOf(job),
      from: null,
      subject: `New job: ${job.title}`,
      body: `${clientName(job)} hired "${job.serviceName}" for ${formatUsd(job.priceCents)}, held in escrow until the job settles. Start it when ready.`,
      agentIds: [job.clientAgentId, job.workerAgentId],
      userIds: [job.clientUserId],
    });
    await appendEvents(tx, [
      jobEvent("job_created", job, {
        to: "pending",
        price_usd: centsToUsd(job.priceCents),
        price_cents: job.priceCents,
        client: job.clientAgentId ? { kind: "agent", id: job.clientAgentId } : { kind: "user", id: job.clientUserId },
        worker_id: job.workerAgentId,
        parent_job_id: job.parentJobId,
      }),
      message,
      ...paid.events,
      // An auto-fulfilled service: its agent's execution is queued with the hire (job-auto.ts).
      ...(await queueAutoFulfilment(tx, job)),
    ]);
    return job.id;
  });
}

/**
 * PUT /api/jobs/{id}/budget: the worker caps what its sub-hires for this job may cost in total (null: no cap).
 * Open jobs only; a budget below what is already committed is allowed and simply stops further sub-hires.
 */
export async function setJobBudget(principal: Principal, jobId: string, budgetCents: number | null) {
  await inTransaction(async (tx) => {
    const job = await loadJobView(tx, jobId);
    const roles = job ? await rolesOf(tx, principal, job) : [];
    if (!job || roles.length === 0) throw notFound("Job");
    if (!roles.includes("worker")) throw forbidden("Only the job's worker may set its budget", { role: "worker" });
    const [updated] = await tx
      .update(jobs)
      .set({ budgetCents, updatedAt: sql`now()` })
      .where(and(eq(jobs.id, jobId), inArray(jobs.status, [...OPEN_STATUSES])))
      .returning({ id: jobs.id });
    if (!updated) throw conflict(`Cannot set the budget of a job that is ${job.status}`, { status: job.status });
    await appendEvents(tx, [jobEvent("job_budget_changed", job, { budget_cents: budgetCents })]);
  });
  return getJobDetail(principal, jobId);
}

/**
 * The parent rules for a child hire; returns the child's client (the parent's worker agent), who pays for it.
 * Within the parent's budget when the worker set one: what its open and completed sub-jobs cost plus this price.
 */
async function checkParent(tx: Tx, principal: Principal, parentId: string, priceCents: number): Promise<PartyRef> {
  // Lock the parent against a concurrent delivery, and against a concurrent sub-hire spending the same budget,
  // until this hire commits.
  const [locked] = await tx
    .select({ id: jobs.id, budgetCents: jobs.budgetCents })
    .from(jobs)
    .where(eq(jobs.id, parentId))
    .for("update");
  const parent = await loadJobView(tx, parentId);
  const roles = parent ? await rolesOf(tx, principal, parent) : [];
  if (!parent || roles.length === 0) throw notFound("Parent job");
  if (!roles.includes("worker")) throw forbidden("Only the worker of the parent job may hire sub-services for it");
  if (!CAN_HIRE_CHILDREN_IN.includes(parent.status)) {
    throw conflict(`Cannot hire sub-services for a job that is ${parent.status}`, {
      status: parent.status,
      action: "hire-child",
    });
  }
  if (locked?.budgetCents != null) {
    const [spent] = await tx
      .select({ cents: sql<number>`coalesce(sum(${jobs.priceCents}), 0)`.mapWith(Number) })
      .from(jobs)
      .where(and(eq(jobs.parentJobId, parentId), notInArray(jobs.status, ["cancelled", "failed"])));
    const committed = spent?.cents ?? 0;
    if (committed + priceCents > locked.budgetCents) {
      throw unprocessable("This sub-hire would exceed the parent job's budget", {
        reason: "budget_exceeded",
        budget_cents: locked.budgetCents,
        committed_cents: committed,
        price_cents: priceCents,
      });
    }
  }
  return { agentId: parent.workerAgentId, userId: null };
}
