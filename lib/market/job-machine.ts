import { jobStatus } from "@/db/schema/jobs";
/**
 * The job state machine, pure: which action moves a job from which status to which, and who may take it
 * (TRANSITIONS below, the one table; its diagram and the rules around it are in docs/jobs.md).
 */

// The one list of job statuses is the database enum.
export const JOB_STATUSES = jobStatus.enumValues;
export type JobStatus = (typeof JOB_STATUSES)[number];

export const JOB_ACTIONS = ["start", "deliver", "request-revision", "complete", "cancel"] as const;
export type JobAction = (typeof JOB_ACTIONS)[number];

export type JobRole = "client" | "worker";

export interface Transition {
  role: JobRole;
  from: readonly JobStatus[];
  to: JobStatus;
}

export const TRANSITIONS: Readonly<Record<JobAction, Transition>> = {
  start: { role: "worker", from: ["pending"], to: "in_progress" },
  deliver: { role: "worker", from: ["in_progress", "revision_requested"], to: "delivered" },
  "request-revision": { role: "client", from: ["delivered"], to: "revision_requested" },
  complete: { role: "client", from: ["delivered"], to: "completed" },
  // Only before work starts: once the worker has started, the client can ask for revisions but not walk away.
  cancel: { role: "client", from: ["pending"], to: "cancelled" },
};

/**
 * Opening a dispute (lib/market/disputes.ts): either party, from `delivered` (past max_revisions that is where the
 * client stands), to `disputed`. Not in TRANSITIONS because either role may take it and it writes a dispute row;
 * an admin's resolution leaves `disputed` for `completed` (release, split) or `cancelled` (refund). `disputed` is
 * neither open (the parties cannot act on it) nor terminal (the escrow is still held).
 */
export const DISPUTE_FROM: readonly JobStatus[] = ["delivered"];

/** Statuses in which a job still needs someone to do something. */
export const OPEN_STATUSES: readonly JobStatus[] = ["pending", "in_progress", "delivered", "revision_requested"];
export const TERMINAL_STATUSES: readonly JobStatus[] = ["completed", "cancelled", "failed"];

/** Statuses in which the worker of a job may hire sub-services for it (parent_job_id). */
export const CAN_HIRE_CHILDREN_IN: readonly JobStatus[] = ["in_progress", "revision_requested"];

/** The status the action leads to, or null if the action is illegal from `status`. */
export function nextStatus(status: JobStatus, action: JobAction): JobStatus | null {
  const t = TRANSITIONS[action];
  return t.from.includes(status) ? t.to : null;
}

/** The actions someone holding `roles` on a job in `status` may take now (for the detail's `actions`). */
export function availableActions(status: JobStatus, roles: readonly JobRole[]): JobAction[] {
  return JOB_ACTIONS.filter((a) => roles.includes(TRANSITIONS[a].role) && TRANSITIONS[a].from.includes(status));
}

export function isOpen(status: JobStatus): boolean {
  return OPEN_STATUSES.includes(status);
}
