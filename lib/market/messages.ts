import "server-only";
import { and, eq, or, sql, type SQL } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import { getDb, type Queryable, type Tx } from "@/db/client";
import { agents, messages, users } from "@/db/schema";
import { notFound } from "@/lib/api/errors";
import {
  epochMicros,
  keysetList,
  keysetOrder,
  keysetPage,
  keysetWhere,
  timeSort,
  type Page,
  type SortDir,
} from "@/lib/api/pagination";
import { actsForAgent } from "@/lib/auth/acting";
import { partyOf, type PartyRef, type Principal } from "@/lib/auth/principal";
import { appendEvent, type NewEvent } from "@/lib/events/log";
import { inTransaction } from "@/lib/db";
import { ownedAgentIds } from "./agents";
import { loadJobView, rolesOf, type JobViewRow } from "./job-access";
import { messageJson, type MessageJson } from "./job-serialize";

/**
 * Messages: the automatic ones every job state change writes to the other party (kind "system"), direct
 * messages between the parties of a job, and the inbox that reads them.
 */

const senderAgent = alias(agents, "sender_agent");
const recipientAgent = alias(agents, "recipient_agent");

const messageViewColumns = {
  id: messages.id,
  jobId: messages.jobId,
  kind: messages.kind,
  subject: messages.subject,
  body: messages.body,
  read: messages.read,
  senderAgentId: messages.senderAgentId,
  senderAgentName: senderAgent.name,
  senderUserId: messages.senderUserId,
  senderUserName: users.name,
  recipientAgentId: messages.recipientAgentId,
  recipientAgentName: recipientAgent.name,
  recipientUserId: messages.recipientUserId,
  createdAt: messages.createdAt,
  createdAtMicros: epochMicros(messages.createdAt),
};

function selectMessageViews(db: Queryable) {
  return db
    .select(messageViewColumns)
    .from(messages)
    .leftJoin(senderAgent, eq(senderAgent.id, messages.senderAgentId))
    .leftJoin(recipientAgent, eq(recipientAgent.id, messages.recipientAgentId))
    .leftJoin(users, eq(users.id, messages.senderUserId))
    .$dynamic();
}

/** The parties of a job as message recipients. */
export function clientOf(job: Pick<JobViewRow, "clientAgentId" | "clientUserId">): PartyRef {
  return { agentId: job.clientAgentId, userId: job.clientAgentId ? null : job.clientUserId };
}
export function workerOf(job: Pick<JobViewRow, "workerAgentId">): PartyRef {
  return { agentId: job.workerAgentId, userId: null };
}

export interface NewJobMessage {
  jobId: string;
  to: PartyRef;
  /** null for a system message. */
  from: PartyRef | null;
  subject: string;
  body: string;
  /** The job's client agent and worker, for the event's agent filter. */
  agentIds: (string | null)[];
  /** The job's client when a person hired without an agent: the event's audience is the job's parties. */
  userIds?: (string | null)[];
}

/**
 * Inserts a message inside the caller's transaction and returns its `message_created` event, which the
 * caller appends together with its own events at the end of the transaction.
 */
export async function writeJobMessage(tx: Tx, m: NewJobMessage): Promise<NewEvent> {
  const [row] = await tx
    .insert(messages)
    .values({
      jobId: m.jobId,
      recipientAgentId: m.to.agentId,
      recipientUserId: m.to.agentId ? null : m.to.userId,
      senderAgentId: m.from?.agentId ?? null,
      senderUserId: m.from?.agentId ? null : (m.from?.userId ?? null),
      kind: m.from ? "direct" : "system",
      subject: m.subject,
      body: m.body,
    })
    .returning({ id: messages.id, kind: messages.kind });
  if (!row) throw new Error("message insert returned nothing");
  return {
    type: "message_created",
    agentIds: m.agentIds,
    userIds: m.userIds,
    subjectType: "message",
    subjectId: row.id,
    data: {
      message_id: row.id,
      job_id: m.jobId,
      kind: row.kind,
      recipient: m.to.agentId ? { kind: "agent", id: m.to.agentId } : { kind: "user", id: m.to.userId },
    },
  };
}

/** A direct message from one party of a job to the other. Strangers get 404. */
export async function sendDirectMessage(
  principal: Principal,
  jobId: string,
  input: { subject?: string; body: string },
): Promise<MessageJson> {
  const id = await inTransaction(async (tx) => {
    const job = await loadJobView(tx, jobId);
    const roles = job ? await rolesOf(tx, principal, job) : [];
    if (!job || roles.length === 0) throw notFound("Job");
    // Someone who is both (a person owning both agents) writes as the client, to the worker.
    const to = roles.includes("client") ? workerOf(job) : clientOf(job);
    const event = await writeJobMessage(tx, {
      jobId,
      to,
      from: partyOf(principal),
      subject: input.subject ?? `Message about "${job.title}"`,
      body: input.body,
      agentIds: [job.clientAgentId, job.workerAgentId],
      userIds: [job.clientUserId],
    });
    await appendEvent(tx, event);
    return event.subjectId;
  });
  const [row] = await selectMessageViews(await getDb())
    .where(eq(messages.id, id))
    .limit(1);
  return messageJson(row!);
}

export async function countJobMessages(db: Queryable, jobId: string): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(messages)
    .where(eq(messages.jobId, jobId));
  return Number(row?.n ?? 0);
}

const messageSort = (dir: SortDir) => timeSort(messages.createdAt, messages.id, dir);

/**
 * A page of a job's messages (asc: oldest first, desc: newest first) with the total; only its parties may read
 * them (others 404). The cursor is checked, so a forged one is a 400.
 */
export async function listJobMessages(
  principal: Principal,
  jobId: string,
  page: { limit: number; cursor?: string; order?: SortDir },
): Promise<Page<MessageJson>> {
  const db = await getDb();
  const job = await loadJobView(db, jobId);
  if (!job || (await rolesOf(db, principal, job)).length === 0) throw notFound("Job");
  const list = await keysetList(
    messageSort(page.order ?? "asc"),
    page,
    [eq(messages.jobId, jobId)],
    {
      rows: (where, order, take) =>
        selectMessageViews(db)
          .where(where)
          .orderBy(...order)
          .limit(take),
      count: () => countJobMessages(db, jobId),
    },
    (last) => [last.createdAtMicros, last.id],
  );
  return { ...list, data: list.data.map(messageJson) };
}

/** Messages addressed to the caller: an agent's own; a person's own and their agents'. */
export function inboxCondition(principal: Principal): SQL {
  if (principal.kind === "agent") return eq(messages.recipientAgentId, principal.agentId);
  return or(
    eq(messages.recipientUserId, principal.userId),
    sql`${messages.recipientAgentId} IN ${ownedAgentIds(principal.userId)}`,
  ) as SQL;
}

export async function listInbox(
  principal: Principal,
  q: { unread: boolean; limit: number; cursor?: string },
): Promise<Page<MessageJson> & { unread_count: number }> {
  const db = await getDb();
  const mine = inboxCondition(principal);
  const conds: SQL[] = [mine];
  if (q.unread) conds.push(eq(messages.read, false));
  // Newest first, by a checked keyset cursor (a forged one is a 400, never a database error).
  const sort = messageSort("desc");
  const after = keysetWhere(sort, q.cursor);
  if (after) conds.push(after);
  const [rows, [count]] = await Promise.all([
    selectMessageViews(db)
      .where(and(...conds))
      .orderBy(...keysetOrder(sort))
      .limit(q.limit + 1),
    db
      .select({ n: sql<number>`count(*)::int` })
      .from(messages)
      .where(and(mine, eq(messages.read, false))),
  ]);
  const { page, next } = keysetPage(rows, q.limit, (last) => [last.createdAtMicros, last.id]);
  return { data: page.map(messageJson), next_cursor: next, unread_count: Number(count?.n ?? 0) };
}

/** Marks a message read. Only its recipient (or the person owning the recipient agent) may; others get 404. */
export async function markMessageRead(principal: Principal, messageId: string): Promise<MessageJson> {
  await inTransaction(async (tx) => {
    const [m] = await tx
      .select({
        recipientAgentId: messages.recipientAgentId,
        recipientUserId: messages.recipientUserId,
        jobId: messages.jobId,
      })
      .from(messages)
      .where(eq(messages.id, messageId))
      .limit(1);
    const mayRead =
      !!m &&
      (m.recipientUserId
        ? principal.kind === "user" && principal.userId === m.recipientUserId
        : !!m.recipientAgentId && (await actsForAgent(tx, principal, m.recipientAgentId)));
    if (!m || !mayRead) throw notFound("Message");
    // Conditional: marking twice is harmless and records one event.
    const changed = await tx
      .update(messages)
      .set({ read: true })
      .where(and(eq(messages.id, messageId), eq(messages.read, false)))
      .returning({ id: messages.id });
    if (changed.length > 0) {
      await appendEvent(tx, {
        type: "message_read",
        agentIds: [m.recipientAgentId],
        userIds: [m.recipientUserId],
        subjectType: "message",
        subjectId: messageId,
        data: { message_id: messageId, job_id: m.jobId },
      });
    }
  });
  const [row] = await selectMessageViews(await getDb())
    .where(eq(messages.id, messageId))
    .limit(1);
  return messageJson(row!);
}
