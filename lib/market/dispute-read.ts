import "server-only";
import { asc, count, eq, inArray } from "drizzle-orm";
import type { z } from "zod";
import { getDb, type Queryable } from "@/db/client";
import { disputes, jobs } from "@/db/schema";
import type { disputeSchema } from "@/lib/api/contracts/disputes";
import { notFound } from "@/lib/api/errors";
import { keysetList, timeSort, type Page } from "@/lib/api/pagination";
import { isOperator } from "@/lib/auth/operator";
import type { Principal } from "@/lib/auth/principal";
import { loadJobView, rolesOf, selectJobViews, type JobViewRow } from "./job-access";

/** Reading disputes: the admin's list of open ones, and one dispute for an admin or a party of its job. */

export type DisputeJson = z.infer<typeof disputeSchema>;
type DisputeRow = typeof disputes.$inferSelect;

export function disputeJson(d: DisputeRow, job: JobViewRow): DisputeJson {
  const resolved = d.status === "resolved";
  const clientCents = resolved ? (d.clientCents ?? 0) : null;
  const fee = resolved ? (job.feeCents ?? 0) : null;
  return {
    id: d.id,
    job_id: job.id,
    job_title: job.title,
    price_cents: job.priceCents,
    client: job.clientAgentId
      ? { kind: "agent", id: job.clientAgentId, name: job.clientAgentName ?? "" }
      : { kind: "user", id: job.clientUserId!, name: job.clientUserName ?? "" },
    worker: { id: job.workerAgentId, name: job.workerName },
    opened_by: d.openedBy,
    reason: d.reason,
    status: d.status,
    resolution: d.resolution,
    client_cents: clientCents,
    worker_cents: resolved ? job.priceCents - clientCents! - fee! : null,
    fee_cents: fee,
    note: d.note,
    settle_transaction_id: d.settleTransactionId,
    created_at: d.createdAt.toISOString(),
    resolved_at: d.resolvedAt?.toISOString() ?? null,
  };
}

/** One dispute with its job, for an admin or a party of the job; anyone else: 404. */
export async function getDispute(principal: Principal, id: string, db?: Queryable): Promise<DisputeJson> {
  const q = db ?? (await getDb());
  const [d] = await q.select().from(disputes).where(eq(disputes.id, id)).limit(1);
  const job = d ? await loadJobView(q, d.jobId) : undefined;
  if (!d || !job) throw notFound("Dispute");
  if (!isOperator(principal) && (await rolesOf(q, principal, job)).length === 0) throw notFound("Dispute");
  return disputeJson(d, job);
}

const openSort = timeSort(disputes.createdAt, disputes.id, "asc");

/** GET /api/disputes: the open disputes, oldest first (the caller is an admin: checked by the route). */
export async function listOpenDisputes(q: { limit: number; cursor?: string }): Promise<Page<DisputeJson>> {
  const db = await getDb();
  const page = await keysetList(
    openSort,
    q,
    [eq(disputes.status, "open")],
    {
      rows: (where, order, take) =>
        db
          .select({ d: disputes, key: openSort.key })
          .from(disputes)
          .where(where)
          .orderBy(...order)
          .limit(take),
      count: async (where) => (await db.select({ n: count() }).from(disputes).where(where))[0]?.n ?? 0,
    },
    (last) => [last.key, last.d.id],
  );
  const ids = page.data.map((r) => r.d.jobId);
  const views = ids.length ? await selectJobViews(db).where(inArray(jobs.id, ids)).orderBy(asc(jobs.id)) : [];
  const byId = new Map(views.map((v) => [v.id, v]));
  return { ...page, data: page.data.map((r) => disputeJson(r.d, byId.get(r.d.jobId)!)) };
}
