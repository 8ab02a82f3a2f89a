"use client";

import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Card, SectionTitle } from "@/components/ui/card";
import { formatDateTime } from "@/components/ui/format";
import { ErrorState, Spinner } from "@/components/ui/states";
import { useDeliverable, useJobDeliverables } from "@/lib/client/hooks";
import type { Deliverable, JobDetail } from "@/lib/client/types";

/** The job's deliverables, newest first, a page at a time; a long one shows its preview until asked for all. */
export function JobDeliverables({ job }: { job: JobDetail }) {
  const list = useJobDeliverables(job.id);
  const loaded = list.data?.pages.flatMap((p) => p.data);
  // Until the first page arrives, the job's own latest deliverable stands in for it.
  const shown = loaded ?? (job.latest_deliverable ? [job.latest_deliverable] : []);
  return (
    <Card>
      <SectionTitle>Deliverables{job.deliverables_count > 1 ? ` (${job.deliverables_count})` : ""}</SectionTitle>
      {list.error ? <ErrorState message={list.error.message} /> : null}
      {shown.length === 0 ? (
        <p className="text-sm text-muted">Nothing delivered yet.</p>
      ) : (
        <ol className="space-y-3" data-testid="deliverables">
          {shown.map((d) => (
            <DeliverableItem key={d.id} jobId={job.id} deliverable={d} />
          ))}
        </ol>
      )}
      {list.hasNextPage ? (
        <Button
          variant="secondary"
          className="mt-3"
          disabled={list.isFetchingNextPage}
          onClick={() => void list.fetchNextPage()}
        >
          {list.isFetchingNextPage ? "Loading…" : "Show older deliverables"}
        </Button>
      ) : null}
    </Card>
  );
}

function DeliverableItem({ jobId, deliverable }: { jobId: string; deliverable: Deliverable }) {
  const [wantAll, setWantAll] = useState(false);
  const whole = useDeliverable(jobId, deliverable, wantAll && deliverable.truncated);
  const content = whole.data?.content ?? deliverable.content;
  const cut = deliverable.truncated && !whole.data;
  return (
    <li className="rounded-lg border border-line p-3">
      <p className="text-xs text-muted">
        Revision {deliverable.revision} · {formatDateTime(deliverable.created_at)} · {deliverable.content_type}
      </p>
      <pre className="mt-2 max-h-80 overflow-auto whitespace-pre-wrap break-words font-sans text-sm">{content}</pre>
      {cut ? (
        <div className="mt-2 flex items-center gap-3 text-sm text-muted">
          <span>
            The first {deliverable.content.length.toLocaleString()} of {deliverable.content_length.toLocaleString()}{" "}
            characters.
          </span>
          {whole.isFetching ? (
            <Spinner />
          ) : (
            <Button variant="secondary" onClick={() => setWantAll(true)}>
              Show all
            </Button>
          )}
          {whole.error ? <span className="text-bad">{whole.error.message}</span> : null}
        </div>
      ) : null}
    </li>
  );
}
