"use client";

import Link from "next/link";
import { DisputePanel } from "@/components/disputes/dispute-panel";
import { useEffect } from "react";
import { useMarkAllRead } from "@/components/inbox/inbox-actions";
import { StatusBadge } from "@/components/ui/badge";
import { Card, SectionTitle } from "@/components/ui/card";
import { formatCents } from "@/components/ui/format";
import { Stars } from "@/components/ui/stars";
import { ErrorState } from "@/components/ui/states";
import { useJob, useJobDeliverables, useJobMessages } from "@/lib/client/hooks";
import type { JobDetail } from "@/lib/client/types";
import { JobActions } from "./job-actions";
import { JobDeliverables } from "./job-deliverables";
import { JobPayment } from "./job-payment";
import { JobMessages, loadedMessages } from "./job-messages";
import { JobTimeline } from "./job-timeline";

export function JobView({ initial }: { initial: JobDetail }) {
  const { data: job, error } = useJob(initial.id, initial);
  // Opening a job reads its messages: they leave the unread count (again when new ones arrive while it is open).
  const { mutate: markRead } = useMarkAllRead();
  const messagesCount = job?.messages_count ?? 0;
  useEffect(() => {
    if (messagesCount > 0) markRead(initial.id);
  }, [initial.id, messagesCount, markRead]);
  if (!job) return <ErrorState message={error?.message} />;
  return (
    <div className="space-y-6">
      <Card>
        <div className="flex flex-wrap items-start justify-between gap-3">
          <div className="min-w-0">
            <p className="text-sm text-muted">
              <Link href={`/services/${job.service_id}`} className="hover:underline">
                {job.service_name}
              </Link>{" "}
              · you are the {job.viewer_role}
            </p>
            <h1 className="mt-1 text-2xl font-semibold tracking-tight">{job.title}</h1>
          </div>
          <div className="flex items-center gap-3">
            <span className="text-lg font-semibold">{formatCents(job.price_cents)}</span>
            <span data-testid="job-status">
              <StatusBadge status={job.status} />
            </span>
          </div>
        </div>
        <dl className="mt-4 grid gap-3 text-sm sm:grid-cols-3">
          <div>
            <dt className="text-xs text-muted">Client</dt>
            <dd>
              {job.client.kind === "agent" ? (
                <Link href={`/agents/${job.client.id}`} className="text-accent hover:underline">
                  {job.client.name}
                </Link>
              ) : (
                <>
                  {job.client.name}
                  <span className="text-muted">{job.viewer_role === "client" ? " (you)" : " (a person)"}</span>
                </>
              )}
            </dd>
          </div>
          <div>
            <dt className="text-xs text-muted">Worker</dt>
            <dd>
              <Link href={`/agents/${job.worker.id}`} className="text-accent hover:underline">
                {job.worker.name}
              </Link>
            </dd>
          </div>
          <div>
            <dt className="text-xs text-muted">Revisions requested</dt>
            <dd>
              {job.revision_count} of {job.max_revisions}
            </dd>
          </div>
        </dl>
        {job.parent ? (
          <p className="mt-3 text-sm">
            Sub-job of{" "}
            <Link href={`/jobs/${job.parent.id}`} className="text-accent underline">
              {job.parent.title}
            </Link>
          </p>
        ) : null}
        {job.rating ? (
          <div className="mt-4 rounded-lg bg-subtle p-3 text-sm">
            <Stars value={job.rating} /> {job.review ? <p className="mt-1">{job.review}</p> : null}
          </div>
        ) : null}
        {job.cancel_reason ? <p className="mt-3 text-sm text-muted">Cancelled: {job.cancel_reason}</p> : null}
        {job.failure_reason ? <p className="mt-3 text-sm text-bad">Failed: {job.failure_reason}</p> : null}
      </Card>

      <div className="grid gap-6 *:min-w-0 lg:grid-cols-3">
        <div className="min-w-0 space-y-6 lg:col-span-2">
          <Card>
            <SectionTitle>Your move</SectionTitle>
            <JobActions job={job} />
          </Card>
          <DisputePanel job={job} />
          <JobDeliverables job={job} />
          <JobMessages job={job} />
        </div>
        <div className="min-w-0 space-y-6">
          <Card>
            <SectionTitle>Payment</SectionTitle>
            <JobPayment job={job} />
          </Card>
          <Card>
            <SectionTitle>Timeline</SectionTitle>
            <Timeline job={job} />
          </Card>
          <Card>
            <SectionTitle>Input</SectionTitle>
            {Object.keys(job.input_data).length === 0 ? (
              <p className="text-sm text-muted">No input data.</p>
            ) : (
              <pre className="overflow-auto whitespace-pre-wrap break-words rounded bg-subtle p-2 font-mono text-xs">
                {JSON.stringify(job.input_data, null, 2)}
              </pre>
            )}
          </Card>
          {job.children.length ? (
            <Card>
              <SectionTitle>Sub-jobs</SectionTitle>
              <ul className="space-y-2 text-sm">
                {job.children.map((c) => (
                  <li key={c.id} className="flex items-center justify-between gap-2">
                    <Link href={`/jobs/${c.id}`} className="truncate hover:underline">
                      {c.title}
                    </Link>
                    <StatusBadge status={c.status} />
                  </li>
                ))}
              </ul>
            </Card>
          ) : null}
        </div>
      </div>
    </div>
  );
}

/** The timeline reads the deliverables and messages loaded for the cards above (the same queries, shared). */
function Timeline({ job }: { job: JobDetail }) {
  const deliverables = useJobDeliverables(job.id).data?.pages.flatMap((p) => p.data);
  const messages = loadedMessages(useJobMessages(job.id).data?.pages);
  return (
    <JobTimeline
      job={job}
      deliverables={deliverables ?? (job.latest_deliverable ? [job.latest_deliverable] : [])}
      messages={messages}
    />
  );
}
