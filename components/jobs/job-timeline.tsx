import { Timeline, TimelineStep } from "@/components/ui/timeline";
import { formatUsd, needsSeconds as timesNeedSeconds } from "@/components/ui/format";
import type { Deliverable, JobDetail, Message } from "@/lib/client/types";

export interface Step {
  at: string;
  label: string;
  tone: "done" | "bad";
  /** What the client asked for, next to a revision request. */
  detail?: string;
}

/** The subject every revision request writes (lib/market/job-transitions.ts); its body is the client's reason. */
const REVISION_SUBJECT = /^Revision requested\b/i;

/**
 * The job's states in time order, from its timestamps and the deliverables and messages loaded so far (both are
 * paged: the newest pages, which hold the recent steps).
 */
export function jobSteps(job: JobDetail, deliverables: Deliverable[], messages: Message[]): Step[] {
  const steps: Step[] = [{ at: job.created_at, label: `Hired for ${formatUsd(job.price_usd)}`, tone: "done" }];
  if (job.started_at) steps.push({ at: job.started_at, label: "Work started", tone: "done" });
  for (const d of deliverables) {
    steps.push({
      at: d.created_at,
      label: d.revision === 1 ? "Delivered" : `Delivered revision ${d.revision}`,
      tone: "done",
    });
  }
  for (const m of messages) {
    if (m.kind === "system" && REVISION_SUBJECT.test(m.subject))
      steps.push({ at: m.created_at, label: "Revision requested", tone: "done", detail: m.body });
  }
  if (job.completed_at)
    steps.push({
      at: job.completed_at,
      label: `Completed${job.rating ? ` · rated ${job.rating}★` : ""}`,
      tone: "done",
    });
  if (job.cancelled_at) steps.push({ at: job.cancelled_at, label: "Cancelled", tone: "bad" });
  if (job.status === "failed") steps.push({ at: job.updated_at, label: "Failed", tone: "bad" });
  return steps.sort((a, b) => a.at.localeCompare(b.at));
}

/** Seconds matter when two neighbouring steps fall within the same minute (components/ui/format.ts). */
export function needsSeconds(steps: Pick<Step, "at">[]): boolean {
  return timesNeedSeconds(steps.map((s) => s.at));
}

export function JobTimeline({
  job,
  deliverables,
  messages,
}: {
  job: JobDetail;
  deliverables: Deliverable[];
  messages: Message[];
}) {
  const steps = jobSteps(job, deliverables, messages);
  const seconds = needsSeconds(steps);
  return (
    <Timeline label="Timeline">
      {steps.map((s, i) => (
        <TimelineStep key={`${s.at}-${i}`} title={s.label} at={s.at} bad={s.tone === "bad"} seconds={seconds}>
          {s.detail ? (
            <blockquote
              className="mt-1 whitespace-pre-line border-l-2 border-line pl-2 text-xs"
              data-testid="revision-reason"
            >
              {s.detail}
            </blockquote>
          ) : null}
        </TimelineStep>
      ))}
    </Timeline>
  );
}
