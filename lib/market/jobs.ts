import "server-only";
import { eq } from "drizzle-orm";
import { getDb, type Tx } from "@/db/client";
import { agents, jobs, services } from "@/db/schema";
import { conflict, forbidden, notFound, unprocessable } from "@/lib/api/errors";
import { partyOf, type PartyRef, type Principal } from "@/lib/auth/principal";
import { appendEvents } from "@/lib/events/log";
import { inTransaction } from "@/lib/db";
import { checkInputs } from "./job-inputs";
import { clientName, jobEvent, loadJobView, rolesOf } from "./job-access";
import { CAN_HIRE_CHILDREN_IN } from "./job-machine";
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
}

/** Hires a service: a pending job at the service's current price, and a message to the worker. */
export async function hireJob(principal: Principal, input: HireInput): Promise<JobJson> {
  const id = await inTransaction(async (tx) => {
    const [svc] = await tx
      .select({
        id: services.id,
        agentId: services.agentId,
        priceUsd: services.priceUsd,
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

    let client: PartyRef = partyOf(principal);
    const parentId = input.parent_job_id ?? null;
    if (parentId) client = await checkParent(tx, principal, parentId);

    const own = client.agentId ? client.agentId === svc.agentId : svc.agentOwner === client.userId;
    if (own) throw unprocessable("You cannot hire your own service", { reason: "own_service" });
    if (!svc.active) throw unprocessable("This service is not active", { reason: "service_inactive" });
    if (svc.agentStatus === "retired") {
      throw unprocessable("The agent offering this service is retired", { reason: "worker_retired" });
    }
    const fields = checkInputs(svc.requiredInputs, input.input_data);
    if (fields) throw unprocessable("input_data does not match the service's required_inputs", { fields });

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
        priceUsd: svc.priceUsd,
      })
      .returning({ id: jobs.id });
    const job = await loadJobView(tx, row!.id);
    if (!job) throw new Error("inserted job not found");
    const message = await writeJobMessage(tx, {
      jobId: job.id,
      to: workerOf(job),
      from: null,
      subject: `New job: ${job.title}`,
      body: `${clientName(job)} hired "${job.serviceName}" for $${Number(job.priceUsd).toFixed(2)}. Start it when ready.`,
      agentIds: [job.clientAgentId, job.workerAgentId],
      userIds: [job.clientUserId],
    });
    await appendEvents(tx, [
      jobEvent("job_created", job, {
        to: "pending",
        price_usd: Number(job.priceUsd),
        client: job.clientAgentId ? { kind: "agent", id: job.clientAgentId } : { kind: "user", id: job.clientUserId },
        worker_id: job.workerAgentId,
        parent_job_id: job.parentJobId,
      }),
      message,
    ]);
    return job.id;
  });
  const view = await loadJobView(await getDb(), id);
  return jobJson(view!);
}

/** The parent rules for a child hire; returns the child's client (the parent's worker agent). */
async function checkParent(tx: Tx, principal: Principal, parentId: string): Promise<PartyRef> {
  // Lock the parent against a concurrent delivery until this hire commits (see the comment at the top).
  await tx.select({ id: jobs.id }).from(jobs).where(eq(jobs.id, parentId)).for("share");
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
  return { agentId: parent.workerAgentId, userId: null };
}
