import "server-only";
import { eq, inArray, or, sql, type SQL } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import type { Queryable } from "@/db/client";
import { agents, disputes, jobs, services, users } from "@/db/schema";
import { epochMicros } from "@/lib/api/pagination";
import { actsForAgent } from "@/lib/auth/acting";
import { ownedAgentIds } from "./agents";
import type { Principal } from "@/lib/auth/principal";
import type { NewEvent } from "@/lib/events/log";
import type { JobRole } from "./job-machine";

/**
 * Reading jobs with the names they show and deciding who the caller is on a job. Shared by jobs.ts
 * (hire, transitions, detail) and messages.ts (direct messages).
 */

const clientAgent = alias(agents, "client_agent");
const workerAgent = alias(agents, "worker_agent");

export const jobViewColumns = {
  id: jobs.id,
  serviceId: jobs.serviceId,
  serviceName: services.name,
  clientAgentId: jobs.clientAgentId,
  clientAgentName: clientAgent.name,
  clientAgentOwner: clientAgent.ownerUserId,
  clientUserId: jobs.clientUserId,
  clientUserName: users.name,
  workerAgentId: jobs.workerAgentId,
  workerName: workerAgent.name,
  workerOwner: workerAgent.ownerUserId,
  parentJobId: jobs.parentJobId,
  title: jobs.title,
  inputData: jobs.inputData,
  priceCents: jobs.priceCents,
  budgetCents: jobs.budgetCents,
  hireTransactionId: jobs.hireTransactionId,
  settleTransactionId: jobs.settleTransactionId,
  feeCents: jobs.feeCents,
  deliverableSha256: jobs.deliverableSha256,
  status: jobs.status,
  revisionCount: jobs.revisionCount,
  maxRevisions: jobs.maxRevisions,
  rating: jobs.rating,
  review: jobs.review,
  cancelReason: jobs.cancelReason,
  failureReason: jobs.failureReason,
  createdAt: jobs.createdAt,
  startedAt: jobs.startedAt,
  deliveredAt: jobs.deliveredAt,
  completedAt: jobs.completedAt,
  cancelledAt: jobs.cancelledAt,
  updatedAt: jobs.updatedAt,
  // The job's dispute, if any (one per job: disputes_job_key), so the job shows it and a split's receipt is exact.
  disputeId: disputes.id,
  disputeStatus: disputes.status,
  disputeClientCents: disputes.clientCents,
  // created_at in epoch microseconds for keyset cursors (a JS Date would drop the microseconds).
  createdAtMicros: epochMicros(jobs.createdAt),
};

/** Jobs joined with their service, worker and client names; add `.where()` / `.orderBy()` / `.limit()`. */
export function selectJobViews(db: Queryable) {
  return db
    .select(jobViewColumns)
    .from(jobs)
    .innerJoin(services, eq(services.id, jobs.serviceId))
    .innerJoin(workerAgent, eq(workerAgent.id, jobs.workerAgentId))
    .leftJoin(clientAgent, eq(clientAgent.id, jobs.clientAgentId))
    .leftJoin(users, eq(users.id, jobs.clientUserId))
    .leftJoin(disputes, eq(disputes.jobId, jobs.id))
    .$dynamic();
}

export type JobViewRow = Awaited<ReturnType<ReturnType<typeof selectJobViews>["execute"]>>[number];

export async function loadJobView(db: Queryable, id: string): Promise<JobViewRow | undefined> {
  const [row] = await selectJobViews(db).where(eq(jobs.id, id)).limit(1);
  return row;
}

type PartyColumns = Pick<
  JobViewRow,
  "clientAgentId" | "clientAgentOwner" | "clientUserId" | "workerAgentId" | "workerOwner"
>;

/** The roles the caller holds on a job: it is, or acts for, the client and/or the worker. Empty: a stranger. */
export async function rolesOf(db: Queryable, principal: Principal, job: PartyColumns): Promise<JobRole[]> {
  const roles: JobRole[] = [];
  const isClient = job.clientUserId
    ? principal.kind === "user" && principal.userId === job.clientUserId
    : !!job.clientAgentId && (await actsForAgent(db, principal, job.clientAgentId, job.clientAgentOwner));
  if (isClient) roles.push("client");
  if (await actsForAgent(db, principal, job.workerAgentId, job.workerOwner)) roles.push("worker");
  return roles;
}

/** SQL condition: the job is one where the caller holds `role` ("any": either). */
export function jobRoleCondition(principal: Principal, role: "client" | "worker" | "any"): SQL {
  let client: SQL;
  let worker: SQL;
  if (principal.kind === "agent") {
    client = eq(jobs.clientAgentId, principal.agentId);
    worker = eq(jobs.workerAgentId, principal.agentId);
  } else {
    const owned = ownedAgentIds(principal.userId);
    client = or(eq(jobs.clientUserId, principal.userId), sql`${jobs.clientAgentId} IN ${owned}`) as SQL;
    worker = sql`${jobs.workerAgentId} IN ${owned}`;
  }
  if (role === "client") return client;
  if (role === "worker") return worker;
  return or(client, worker) as SQL;
}

/** Children of some jobs, for the detail and the open-children rule. */
export async function childrenOf(db: Queryable, parentIds: string[]): Promise<JobViewRow[]> {
  if (parentIds.length === 0) return [];
  return selectJobViews(db).where(inArray(jobs.parentJobId, parentIds)).orderBy(jobs.createdAt, jobs.id);
}

/** A job event: the client agent (if any) and the worker are the agents it concerns. */
export function jobEvent(type: string, job: JobViewRow, data: Record<string, unknown>): NewEvent {
  return {
    type,
    agentIds: [job.clientAgentId, job.workerAgentId],
    userIds: [job.clientUserId],
    subjectType: "job",
    subjectId: job.id,
    data: { job_id: job.id, service_id: job.serviceId, title: job.title, ...data },
  };
}

export function clientName(job: JobViewRow): string {
  return job.clientAgentName ?? job.clientUserName ?? "A client";
}
