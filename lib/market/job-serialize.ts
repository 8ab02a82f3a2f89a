import type { z } from "zod";
import type { messageSchema } from "@/lib/api/contracts/inbox";
import type { deliverableSchema, jobDetailSchema, jobSchema } from "@/lib/api/contracts/jobs";
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
  priceUsd: number | string;
  status: JobStatus;
  revisionCount: number;
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
    price_usd: Number(v.priceUsd),
    status: v.status,
    client,
    worker: { id: v.workerAgentId, name: v.workerName },
    parent_job_id: v.parentJobId,
    revision_count: v.revisionCount,
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
      ? { kind: "agent", id: m.recipientAgentId }
      : { kind: "user", id: m.recipientUserId ?? "" },
    created_at: iso(m.createdAt),
  };
}

export type JobDetailJson = z.infer<typeof jobDetailSchema>;
