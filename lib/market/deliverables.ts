import "server-only";
import { and, eq, sql } from "drizzle-orm";
import type { Queryable, Tx } from "@/db/client";
import { deliverables } from "@/db/schema";
import { keysetList, type KeysetSort, type Page, type SortDir } from "@/lib/api/pagination";
import { deliverableJson, DELIVERABLE_PREVIEW_CHARS, type DeliverableJson } from "./job-serialize";

/**
 * Deliverables: one row per delivery. The revision number is 1 for the first delivery and n+1 after the
 * client's n-th revision request; the caller passes it from the job row it just updated (the conditional
 * update holds the job's row lock, so two deliveries can never pick the same number).
 */
export async function insertDeliverable(
  tx: Tx,
  d: { jobId: string; revision: number; content: string; contentType?: string },
): Promise<{ id: string; revision: number }> {
  const [row] = await tx
    .insert(deliverables)
    .values({ jobId: d.jobId, revision: d.revision, content: d.content, contentType: d.contentType ?? "text/plain" })
    .returning({ id: deliverables.id, revision: deliverables.revision });
  if (!row) throw new Error("deliverable insert returned nothing");
  return row;
}

// Lists read only the first characters of each content (a delivery may be 500 KB): bounded in memory and on the
// wire. The whole text is one GET away (content_url).
const previewColumns = {
  id: deliverables.id,
  jobId: deliverables.jobId,
  revision: deliverables.revision,
  content: sql<string>`left(${deliverables.content}, ${sql.raw(String(DELIVERABLE_PREVIEW_CHARS))})`,
  contentLength: sql<number>`char_length(${deliverables.content})`.mapWith(Number),
  truncated: sql<boolean>`char_length(${deliverables.content}) > ${sql.raw(String(DELIVERABLE_PREVIEW_CHARS))}`,
  contentType: deliverables.contentType,
  createdAt: deliverables.createdAt,
};

const bySort = (dir: SortDir): KeysetSort => ({
  expr: deliverables.revision,
  dir,
  cast: (v) => sql`${v}::int`,
  id: deliverables.id,
  idDir: dir,
});

/** One page of a job's deliverables, by revision (asc: oldest first), contents cut to a preview. */
export async function listDeliverablePage(
  db: Queryable,
  jobId: string,
  q: { limit: number; cursor?: string; order: SortDir },
): Promise<Page<DeliverableJson>> {
  const list = await keysetList(
    bySort(q.order),
    q,
    [eq(deliverables.jobId, jobId)],
    {
      rows: (where, order, take) =>
        db
          .select(previewColumns)
          .from(deliverables)
          .where(where)
          .orderBy(...order)
          .limit(take),
      count: () => countDeliverables(db, jobId),
    },
    (last) => [last.revision, last.id],
  );
  return { ...list, data: list.data.map(deliverableJson) };
}

/** The newest delivery of a job (a preview), or null. */
export async function latestDeliverable(db: Queryable, jobId: string): Promise<DeliverableJson | null> {
  const { data } = await listDeliverablePage(db, jobId, { limit: 1, order: "desc" });
  return data[0] ?? null;
}

export async function countDeliverables(db: Queryable, jobId: string): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(deliverables)
    .where(eq(deliverables.jobId, jobId));
  return Number(row?.n ?? 0);
}

/** One deliverable of a job, whole. */
export async function findDeliverable(db: Queryable, jobId: string, id: string): Promise<DeliverableJson | null> {
  const [row] = await db
    .select()
    .from(deliverables)
    .where(and(eq(deliverables.jobId, jobId), eq(deliverables.id, id)));
  return row ? deliverableJson({ ...row, contentLength: [...row.content].length, truncated: false }) : null;
}
