import type { z } from "zod";
import type { messageSchema } from "@/lib/api/contracts/inbox";
import type { deliverableSchema, jobDetailSchema, jobSchema } from "@/lib/api/contracts/jobs";
import { env } from "@/lib/env";
import { centsToUsd } from "@/lib/ledger/money";
import type { JobStatus } from "./job-machine";

/**
 * The JSON shapes of jobs, deliverables and messages (their schemas: lib/api/contracts/jobs.ts and inbox.ts).
 * Pure functions over rows joined with the names they show; they never touch the database.
 */

type Ts = Date | string;
type NullableTs = Ts | null;

function iso(value: Ts): string {
  return (value instanceof Date ? value : new Date(value)).toISOString();
}
function isoOrNull(value: NullableTs): string | null {
  return value === null ? null : iso(value);
}

/** A job row with the names of its service, client and worker (see jobViewColumns in job-access.ts). */
export interface JobView {
  id: string;
  serviceId: string;
  serviceName: string;
  clientAgentId: string | null;
  clientAgentName: string | null;
  clientUserId: string | null;
  clientUserName: string | null;
  workerAgentId: string;
  workerName: string;
  parentJobId: string | null;
  title: string;
  inputData: Record<string, unknown>;
  priceCents: number;
  budgetCents: number | null;
  hireTransactionId: string | null;
  settleTransactionId: string | null;
  feeCents: number | null;
  deliverableSha256: string | null;
  status: JobStatus;
  revisionCount: number;
  maxRevisions: number;
  rating: number | null;
  review: string | null;
  cancelReason: string | null;
  failureReason: string | null;
  createdAt: Ts;
  startedAt: NullableTs;
  deliveredAt: NullableTs;
  completedAt: NullableTs;
  cancelledAt: NullableTs;
  updatedAt: Ts;
  disputeId?: string | null;
  disputeStatus?: "open" | "resolved" | null;
  /** A resolved dispute: what went back to the client (all for a refund, none for a release, part for a split). */
  disputeClientCents?: number | null;
}

export type JobJson = z.infer<typeof jobSchema>;

export function jobJson(v: JobView): JobJson {
  const client: JobJson["client"] = v.clientAgentId
    ? { kind: "agent", id: v.clientAgentId, name: v.clientAgentName ?? "" }
    : { kind: "user", id: v.clientUserId ?? "", name: v.clientUserName ?? "" };
  return {
    id: v.id,
    service_id: v.serviceId,
    service_name: v.serviceName,
    title: v.title,
    input_data: v.inputData,
    price_usd: centsToUsd(v.priceCents),
    price_cents: v.priceCents,
    budget_cents: v.budgetCents,
    status: v.status,
    client,
    worker: { id: v.workerAgentId, name: v.workerName },
    parent_job_id: v.parentJobId,
    revision_count: v.revisionCount,
    max_revisions: v.maxRevisions,
    auto_accept_at:
      v.status === "delivered" && v.deliveredAt ? autoAcceptAt(new Date(v.deliveredAt)).toISOString() : null,
    rating: v.rating,
    review: v.review,
    cancel_reason: v.cancelReason,
    failure_reason: v.failureReason,
    created_at: iso(v.createdAt),
    started_at: isoOrNull(v.startedAt),
    delivered_at: isoOrNull(v.deliveredAt),
    completed_at: isoOrNull(v.completedAt),
    cancelled_at: isoOrNull(v.cancelledAt),
    updated_at: iso(v.updatedAt),
    dispute: v.disputeId ? { id: v.disputeId, status: v.disputeStatus ?? "open" } : null,
    payment: paymentJson(v),
    receipt: receiptJson(v),
  };
}

/** When a delivered job completes on its own unless the client acts (AUTO_ACCEPT_AFTER_HOURS after delivery). */
export function autoAcceptAt(deliveredAt: Date): Date {
  return new Date(deliveredAt.getTime() + env().AUTO_ACCEPT_AFTER_HOURS * 3600_000);
}

/** Where the job's money is: held in escrow, released to the worker, refunded, or none (hired before the ledger). */
function paymentJson(v: JobView): JobJson["payment"] {
  const status = !v.hireTransactionId
    ? "none"
    : !v.settleTransactionId
      ? "held"
      : v.status !== "completed"
        ? "refunded"
        : (v.disputeClientCents ?? 0) > 0
          ? "split"
          : "released";
  return {
    status,
    amount_cents: v.priceCents,
    fee_cents: v.feeCents,
    hire_transaction_id: v.hireTransactionId,
    settle_transaction_id: v.settleTransactionId,
  };
}

/** A completed job's receipt: what was paid (ledger transactions), for which deliverable, and its rating. */
function receiptJson(v: JobView): JobJson["receipt"] {
  if (v.status !== "completed") return null;
  const paid = !!v.settleTransactionId;
  const fee = v.feeCents ?? 0;
  return {
    paid,
    transaction_ids: [v.hireTransactionId, v.settleTransactionId].filter((t): t is string => !!t),
    amount_cents: paid ? v.priceCents : 0,
    fee_cents: paid ? fee : 0,
    worker_cents: paid ? v.priceCents - (v.disputeClientCents ?? 0) - fee : 0,
    deliverable_sha256: v.deliverableSha256,
    rating: v.rating,
    completed_at: isoOrNull(v.completedAt),
  };
}

/** Lists (and the job's latest deliverable) carry at most this many characters of a content. */
export const DELIVERABLE_PREVIEW_CHARS = 2_000;

export interface DeliverableRowLike {
  id: string;
  jobId: string;
  revision: number;
  /** The whole content, or its first DELIVERABLE_PREVIEW_CHARS characters when `truncated`. */
  content: string;
  /** Length of the whole content, in characters (code points, as Postgres counts them). */
  contentLength: number;
  truncated: boolean;
  contentType: string;
  createdAt: Ts;
}

export type DeliverableJson = z.infer<typeof deliverableSchema>;

export function deliverableJson(d: DeliverableRowLike): DeliverableJson {
  return {
    id: d.id,
    revision: d.revision,
    content: d.content,
    content_type: d.contentType,
    content_length: d.contentLength,
    truncated: d.truncated,
    content_url: `/api/jobs/${d.jobId}/deliverables/${d.id}`,
    created_at: iso(d.createdAt),
  };
}

/** A message row with the sender's name (see messageViewColumns in messages.ts). */
export interface MessageView {
  id: string;
  jobId: string | null;
  kind: "system" | "direct";
  subject: string;
  body: string;
  read: boolean;
  senderAgentId: string | null;
  senderAgentName: string | null;
  senderUserId: string | null;
  senderUserName: string | null;
  recipientAgentId: string | null;
  /** The recipient agent's name (the inbox says which of a person's agents a message is for). */
  recipientAgentName?: string | null;
  recipientUserId: string | null;
  createdAt: Ts;
}

export type MessageJson = z.infer<typeof messageSchema>;

export function messageJson(m: MessageView): MessageJson {
  const sender: MessageJson["sender"] = m.senderAgentId
    ? { kind: "agent", id: m.senderAgentId, name: m.senderAgentName ?? "" }
    : m.senderUserId
      ? { kind: "user", id: m.senderUserId, name: m.senderUserName ?? "" }
      : null;
  return {
    id: m.id,
    job_id: m.jobId,
    kind: m.kind,
    subject: m.subject,
    body: m.body,
    read: m.read,
    sender,
    recipient: m.recipientAgentId
      ? { kind: "agent", id: m.recipientAgentId, name: m.recipientAgentName ?? null }
      : { kind: "user", id: m.recipientUserId ?? "", name: null },
    created_at: iso(m.createdAt),
  };
}

export type JobDetailJson = z.infer<typeof jobDetailSchema>;
