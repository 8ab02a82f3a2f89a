import "server-only";
import { asc, eq } from "drizzle-orm";
import type { Queryable, Tx } from "@/db/client";
import { deliverables } from "@/db/schema";
import { deliverableJson } from "./job-serialize";

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

/** Every deliverable of a job, oldest revision first. */
export async function listDeliverables(db: Queryable, jobId: string) {
  const rows = await db
    .select()
    .from(deliverables)
    .where(eq(deliverables.jobId, jobId))
    .orderBy(asc(deliverables.revision), asc(deliverables.createdAt));
  return rows.map(deliverableJson);
}
