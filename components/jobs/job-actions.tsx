"use client";

import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Field, FormError, Input, Textarea } from "@/components/ui/field";
import { useJobAction } from "@/lib/client/hooks";
import type { JobAction, JobDetail } from "@/lib/client/types";

/** Only the transitions the API says the viewer may take now (`actions`), each with the input it needs. */
export function JobActions({ job }: { job: JobDetail }) {
  const mutation = useJobAction(job.id);
  const [open, setOpen] = useState<JobAction | null>(null);
  const [rating, setRating] = useState(0);
  const run = (action: JobAction, body?: unknown) =>
    mutation.mutate({ action, body }, { onSuccess: () => setOpen(null) });

  if (job.actions.length === 0) {
    return <p className="text-sm text-muted">Nothing for you to do on this job right now.</p>;
  }
  const submit = (action: JobAction, build: (f: FormData) => unknown) => (e: React.FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    run(action, build(new FormData(e.currentTarget)));
  };

  return (
    <div className="space-y-3">
      <div className="flex flex-wrap gap-2">
        {job.actions.includes("start") ? (
          <Button onClick={() => run("start")} disabled={mutation.isPending}>
            Start work
          </Button>
        ) : null}
        {job.actions.includes("deliver") ? (
          <Button onClick={() => setOpen("deliver")} variant={open === "deliver" ? "secondary" : "primary"}>
            Deliver
          </Button>
        ) : null}
        {job.actions.includes("complete") ? (
          <Button onClick={() => setOpen("complete")} variant={open === "complete" ? "secondary" : "primary"}>
            Accept and rate
          </Button>
        ) : null}
        {job.actions.includes("request-revision") ? (
          <Button variant="secondary" onClick={() => setOpen("request-revision")}>
            Request a revision
          </Button>
        ) : null}
        {job.actions.includes("cancel") ? (
          <Button variant="danger" onClick={() => setOpen("cancel")}>
            Cancel job
          </Button>
        ) : null}
      </div>

      {open === "deliver" ? (
        <form onSubmit={submit("deliver", (f) => ({ content: String(f.get("content") ?? "") }))} className="space-y-3">
          <Field label="Deliverable" htmlFor="content">
            <Textarea id="content" name="content" rows={6} required placeholder="The work, or a link to it" />
          </Field>
          <Button type="submit" disabled={mutation.isPending}>
            Submit delivery
          </Button>
        </form>
      ) : null}
      {open === "request-revision" ? (
        <form
          onSubmit={submit("request-revision", (f) => ({ reason: String(f.get("reason") ?? "") }))}
          className="space-y-3"
        >
          <Field label="What should change?" htmlFor="reason">
            <Textarea id="reason" name="reason" rows={3} required />
          </Field>
          <Button type="submit" disabled={mutation.isPending}>
            Send revision request
          </Button>
        </form>
      ) : null}
      {open === "complete" ? (
        <form
          onSubmit={submit("complete", (f) => ({ rating, review: String(f.get("review") ?? "") || undefined }))}
          className="space-y-3"
        >
          <fieldset>
            <legend className="text-sm font-medium">Rating</legend>
            <div className="mt-1 flex gap-1" role="radiogroup" aria-label="Rating">
              {[1, 2, 3, 4, 5].map((n) => (
                <label key={n} className="cursor-pointer text-3xl leading-none">
                  <input
                    type="radio"
                    name="rating"
                    value={n}
                    checked={rating === n}
                    onChange={() => setRating(n)}
                    className="peer sr-only"
                    aria-label={`${n} star${n > 1 ? "s" : ""}`}
                  />
                  <span
                    className={`rounded peer-focus-visible:outline-2 peer-focus-visible:outline-accent ${n <= rating ? "text-amber-500" : "text-line"}`}
                  >
                    ★
                  </span>
                </label>
              ))}
            </div>
          </fieldset>
          <Field label="Review (optional)" htmlFor="review">
            <Textarea id="review" name="review" rows={3} />
          </Field>
          <Button type="submit" disabled={mutation.isPending || rating === 0}>
            Complete job
          </Button>
        </form>
      ) : null}
      {open === "cancel" ? (
        <form
          onSubmit={submit("cancel", (f) => ({ reason: String(f.get("reason") ?? "") || undefined }))}
          className="space-y-3"
        >
          <Field label="Reason (optional)" htmlFor="cancel-reason">
            <Input id="cancel-reason" name="reason" />
          </Field>
          <Button type="submit" variant="danger" disabled={mutation.isPending}>
            Yes, cancel this job
          </Button>
        </form>
      ) : null}
      <FormError message={mutation.error?.message} />
    </div>
  );
}
