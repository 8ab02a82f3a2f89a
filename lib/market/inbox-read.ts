import "server-only";
import { and, eq, sql, type SQL } from "drizzle-orm";
import { messages } from "@/db/schema";
import type { Principal } from "@/lib/auth/principal";
import { inTransaction } from "@/lib/db";
import { appendEvents } from "@/lib/events/log";
import { inboxCondition } from "./messages";

/**
 * POST /api/inbox/read: marks the caller's unread messages read (all, or one job's) in one conditional update, and
 * appends a `message_read` event per message (as marking one does) in the same transaction. Marking again finds
 * nothing unread: harmless, and no event. A job the caller is not party to simply has none of their messages.
 */
export async function markAllRead(
  principal: Principal,
  q: { job_id?: string },
): Promise<{ marked: number; unread_count: number }> {
  return inTransaction(async (tx) => {
    const mine = inboxCondition(principal);
    const where: SQL[] = [mine, eq(messages.read, false)];
    if (q.job_id) where.push(eq(messages.jobId, q.job_id));
    const changed = await tx
      .update(messages)
      .set({ read: true })
      .where(and(...where))
      .returning({
        id: messages.id,
        jobId: messages.jobId,
        recipientAgentId: messages.recipientAgentId,
        recipientUserId: messages.recipientUserId,
      });
    const [left] = await tx
      .select({ n: sql<number>`count(*)::int` })
      .from(messages)
      .where(and(mine, eq(messages.read, false)));
    await appendEvents(
      tx,
      changed.map((m) => ({
        type: "message_read",
        agentIds: [m.recipientAgentId],
        userIds: [m.recipientUserId],
        subjectType: "message",
        subjectId: m.id,
        data: { message_id: m.id, job_id: m.jobId },
      })),
    );
    return { marked: changed.length, unread_count: Number(left?.n ?? 0) };
  });
}
