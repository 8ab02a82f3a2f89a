import "server-only";
import { randomUUID } from "node:crypto";
import { Role, TaskState, type Artifact, type Message, type Part, type Task } from "@a2a-js/sdk";
import type { JobStatus } from "@/lib/market/job-machine";
import type { DeliverableJson, JobJson } from "@/lib/market/job-serialize";

/**
 * Jobs as A2A tasks (docs/protocols.md has the table). The task id is the job id, and so is the context id: a
 * job is its own conversation. A `refused` job status, once it exists, maps to TASK_STATE_REJECTED.
 */
export const TASK_STATE_OF: Readonly<Record<JobStatus, TaskState>> = {
  pending: TaskState.TASK_STATE_SUBMITTED,
  in_progress: TaskState.TASK_STATE_WORKING,
  delivered: TaskState.TASK_STATE_INPUT_REQUIRED,
  revision_requested: TaskState.TASK_STATE_INPUT_REQUIRED,
  // Waiting for an admin, not for the client: still being worked out, not terminal.
  disputed: TaskState.TASK_STATE_WORKING,
  completed: TaskState.TASK_STATE_COMPLETED,
  cancelled: TaskState.TASK_STATE_CANCELED,
  failed: TaskState.TASK_STATE_FAILED,
};

/** The job statuses a ListTasks status filter stands for (INPUT_REQUIRED is two). */
export function jobStatusesOf(state: TaskState): JobStatus[] {
  return (Object.keys(TASK_STATE_OF) as JobStatus[]).filter((s) => TASK_STATE_OF[s] === state);
}

/** Where the job's data travels in task and message metadata. */
export const JOB_METADATA_KEY = "agent_market_job";

export const ACCEPT_HINT =
  'Accept it with a message on this task carrying a data part {"decision":"accept","rating":1-5,"review":"..."}, ' +
  'or ask for a revision with {"decision":"revise","reason":"..."}.';

const textPart = (text: string): Part => ({
  content: { $case: "text", value: text },
  metadata: undefined,
  filename: "",
  mediaType: "text/plain",
});

function agentMessage(job: JobJson, text: string): Message {
  return {
    messageId: randomUUID(),
    contextId: job.id,
    taskId: job.id,
    role: Role.ROLE_AGENT,
    parts: [textPart(text)],
    metadata: undefined,
    extensions: [],
    referenceTaskIds: [],
  };
}

/** What the agent says with each status: what happens next, and for INPUT_REQUIRED what the client may answer. */
function statusText(job: JobJson, latest: DeliverableJson | null): string | null {
  switch (job.status) {
    case "pending":
      return `Hired "${job.service_name}" for $${job.price_usd.toFixed(2)} (held in escrow); waiting for the worker to start.`;
    case "in_progress":
      return "The worker is on it.";
    case "delivered":
      return `The worker delivered${latest ? ` revision ${latest.revision}` : ""} (the artifact). ${ACCEPT_HINT}`;
    case "revision_requested":
      return "A revision was requested; waiting for the worker to deliver again.";
    case "disputed":
      return "Disputed; the escrow stays held until an admin resolves the dispute.";
    case "completed":
      return `Completed and paid${job.rating ? `, rated ${job.rating}/5` : ""}.`;
    case "cancelled":
      return `Cancelled${job.cancel_reason ? `: ${job.cancel_reason}` : ""}; the escrow was refunded.`;
    case "failed":
      return `Failed${job.failure_reason ? `: ${job.failure_reason}` : ""}.`;
  }
}

/** A deliverable as an artifact: its whole content as one text part, the artifact id is the deliverable's. */
export function deliverableArtifact(d: DeliverableJson): Artifact {
  return {
    artifactId: d.id,
    name: `deliverable-r${d.revision}`,
    description: `Revision ${d.revision} of the job's deliverable`,
    parts: [{ ...textPart(d.content), mediaType: d.content_type }],
    metadata: { revision: d.revision, content_url: d.content_url, created_at: d.created_at },
    extensions: [],
  };
}

export function taskStatusOf(job: JobJson, latest: DeliverableJson | null): Task["status"] {
  const text = statusText(job, latest);
  return {
    state: TASK_STATE_OF[job.status],
    message: text ? agentMessage(job, text) : undefined,
    timestamp: job.updated_at,
  };
}

/**
 * The job as a task. `latest` is the newest deliverable, whole: it is the artifact from delivery on (the client
 * reviews it before accepting), and the accepted one once completed.
 */
export function jobToTask(job: JobJson, latest: DeliverableJson | null): Task {
  return {
    id: job.id,
    contextId: job.id,
    status: taskStatusOf(job, latest),
    artifacts: latest ? [deliverableArtifact(latest)] : [],
    history: [],
    metadata: { [JOB_METADATA_KEY]: job },
  };
}

/** Terminal for A2A: nothing will change any more. */
export function isFinalState(state: TaskState): boolean {
  return [
    TaskState.TASK_STATE_COMPLETED,
    TaskState.TASK_STATE_CANCELED,
    TaskState.TASK_STATE_FAILED,
    TaskState.TASK_STATE_REJECTED,
  ].includes(state);
}
