import "server-only";
import { count, eq, inArray, sql, type SQL } from "drizzle-orm";
import { getDb, type Queryable } from "@/db/client";
import { deliverables, jobs, messages } from "@/db/schema";
import { notFound } from "@/lib/api/errors";
import { keysetList, timeSort, type Page, type SortDir } from "@/lib/api/pagination";
import type { Principal } from "@/lib/auth/principal";
import { findDeliverable, latestDeliverable, listDeliverablePage } from "./deliverables";
import { childrenOf, jobRoleCondition, loadJobView, rolesOf, selectJobViews, type JobViewRow } from "./job-access";
import { availableActions, isOpen, type JobRole, type JobStatus } from "./job-machine";
import { PrincipalCache } from "./job-read-cache";
import { jobJson, type DeliverableJson, type JobDetailJson, type JobJson } from "./job-serialize";

/** Reading jobs: the caller's list and a job's detail (see jobs.ts for the rules). */

/** Newest first. */
const jobSort = timeSort(jobs.createdAt, jobs.id, "desc");

export interface JobListQuery {
    role: "client" | "worker" | "any";
    status?: JobStatus;
    limit: number;
    cursor?: string;
    worker_id?: string;
    statuses?: JobStatus[];
    /** Changed after this instant, at the millisecond precision jobs are shown with (A2A's statusTimestampAfter). */
    updated_after?: Date;
}

const lists = new PrincipalCache<Page<JobJson>>(2_000);
const details = new PrincipalCache<JobDetailJson>(5_000);

/** The caller's jobs (GET /api/jobs), cached per caller and query while the data version stands. */
export function listJobs(principal: Principal, q: JobListQuery): Promise<Page<JobJson>> {
  return lists.get(principal, JSON.stringify(q), () => loadJobList(principal, q));
}

/** The job detail (GET /api/jobs/{id}), cached per caller while the data version stands; see loadJobDetail. */
export function getJobDetail(principal: Principal, id: string): Promise<JobDetailJson> {
  return details.get(principal, id, () => loadJobDetail(principal, id));
}

async function loadJobList(principal: Principal, q: JobListQuery): Promise<Page<JobJson>> {
  const db = await getDb();
  const conds: SQL[] = [jobRoleCondition(principal, q.role)];
  if (q.status) conds.push(eq(jobs.status, q.status));
  if (q.statuses) conds.push(inArray(jobs.status, q.statuses));
  // One agent's jobs (its A2A endpoint lists the tasks the caller gave it).
  if (q.worker_id) conds.push(eq(jobs.workerAgentId, q.worker_id));
  if (q.updated_after)
    conds.push(sql`date_trunc('milliseconds', ${jobs.updatedAt}) > ${q.updated_after.toISOString()}`);
  const page = await keysetList(
    jobSort,
    q,
    conds,
    {
      rows: (where, order, take) =>
        selectJobViews(db)
          .where(where)
          .orderBy(...order)
          .limit(take),
      count: async (where) => (await db.select({ n: count() }).from(jobs).where(where))[0]?.n ?? 0,
    },
    (last) => [last.createdAtMicros, last.id],
  );
  return { ...page, data: page.data.map(jobJson) };
}

/** A job's deliverables and messages counted in one query (one round trip of the detail's read, not two). */
async function jobCounts(db: Queryable, id: string): Promise<{ deliverablesCount: number; messagesCount: number }> {
  const [row] = await db
    .select({
      d: sql<number>`(SELECT count(*)::int FROM ${deliverables} WHERE ${deliverables.jobId} = ${id})`,
      m: sql<number>`(SELECT count(*)::int FROM ${messages} WHERE ${messages.jobId} = ${id})`,
    })
    .from(sql`(SELECT 1) AS one`);
  return { deliverablesCount: Number(row?.d ?? 0), messagesCount: Number(row?.m ?? 0) };
}

/** A job and the caller's roles in it; 404 unless the caller is one of its parties. */
export async function jobForParty(
  db: Queryable,
  principal: Principal,
  id: string,
): Promise<{ job: JobViewRow; roles: JobRole[] }> {
  const job = await loadJobView(db, id);
  const roles = job ? await rolesOf(db, principal, job) : [];
  if (!job || roles.length === 0) throw notFound("Job");
  return { job, roles };
}

/**
 * The job detail for one of its parties (others: 404). Related jobs (parent, children) are shown only
 * when the caller is a party of them too, by the same rule as GET /api/jobs/{id}. Bounded: the latest
 * deliverable (a preview) and the counts; the lists are paged by their own routes.
 */
async function loadJobDetail(principal: Principal, id: string): Promise<JobDetailJson> {
  const db = await getDb();
  const { job, roles } = await jobForParty(db, principal, id);
  const [latest, { deliverablesCount, messagesCount }, children, parent] = await Promise.all([
    latestDeliverable(db, id),
    jobCounts(db, id),
    childrenOf(db, [id]),
    job.parentJobId ? loadJobView(db, job.parentJobId) : Promise.resolve(undefined),
  ]);
  const visibleChildren = [];
  for (const c of children) if ((await rolesOf(db, principal, c)).length > 0) visibleChildren.push(jobJson(c));
  const parentVisible = parent && (await rolesOf(db, principal, parent)).length > 0;
  let actions = availableActions(job.status, roles);
  if (children.some((c) => isOpen(c.status))) actions = actions.filter((a) => a !== "deliver");
  if (job.revisionCount >= job.maxRevisions) actions = actions.filter((a) => a !== "request-revision");
  return {
    ...jobJson(job),
    latest_deliverable: latest,
    deliverables_count: deliverablesCount,
    messages_count: messagesCount,
    children: visibleChildren,
    parent: parentVisible ? jobJson(parent) : null,
    viewer_role: roles.includes("client") ? "client" : "worker",
    actions,
  };
}

/** GET /api/jobs/{id}/deliverables: a page of the job's deliverables, contents cut to a preview. */
export async function listJobDeliverables(
  principal: Principal,
  jobId: string,
  q: { limit: number; cursor?: string; order: SortDir },
): Promise<Page<DeliverableJson>> {
  const db = await getDb();
  await jobForParty(db, principal, jobId);
  return listDeliverablePage(db, jobId, q);
}

/** GET /api/jobs/{id}/deliverables/{deliverableId}: one deliverable, whole. */
export async function getJobDeliverable(
  principal: Principal,
  jobId: string,
  deliverableId: string,
): Promise<DeliverableJson> {
  const db = await getDb();
  await jobForParty(db, principal, jobId);
  const found = await findDeliverable(db, jobId, deliverableId);
  if (!found) throw notFound("Deliverable");
  return found;
}
