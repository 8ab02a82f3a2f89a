"use client";

import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Field, FormError, Input, Textarea } from "@/components/ui/field";
import { RadioGroup } from "@/components/ui/radio-group";
import type { Rules } from "@/lib/client/form-errors";
import { DELIVER_RULES, REVISION_RULES } from "@/lib/client/form-rules";
import { useJobAction } from "@/lib/client/hooks";
import type { JobAction, JobDetail } from "@/lib/client/types";
import { useFormErrors } from "@/lib/client/use-form-errors";

/** The actions that send one text: the form each opens, and the body the text becomes. */
const TEXT_ACTIONS = {
  deliver: {
    rules: DELIVER_RULES,
    name: "content",
    label: "Deliverable",
    rows: 6,
    placeholder: "The work, or a link to it",
    submitLabel: "Submit delivery",
    body: (content: string) => ({ content }),
  },
  "request-revision": {
    rules: REVISION_RULES,
    name: "reason",
    label: "What should change?",
    rows: 3,
    submitLabel: "Send revision request",
    body: (reason: string) => ({ reason: reason.trim() }),
  },
} satisfies Record<string, Omit<TextActionProps, "pending" | "send"> & { body: (text: string) => unknown }>;

/** Only the transitions the API says the viewer may take now (`actions`), each with the input it needs. */
export function JobActions({ job }: { job: JobDetail }) {
  const mutation = useJobAction(job.id);
  const [open, setOpen] = useState<JobAction | null>(null);
  const [rating, setRating] = useState(0);
  const run = (action: JobAction, body?: unknown, onError?: (err: unknown) => void) =>
    mutation.mutate({ action, body }, { onSuccess: () => setOpen(null), onError });

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

      {open === "deliver" || open === "request-revision" ? (
        <TextActionForm
          key={open}
          {...TEXT_ACTIONS[open]}
          pending={mutation.isPending}
          send={(text, onError) => run(open, TEXT_ACTIONS[open].body(text), onError)}
        />
      ) : null}
      {open === "complete" ? (
        <form
          onSubmit={submit("complete", (f) => ({ rating, review: String(f.get("review") ?? "") || undefined }))}
          className="space-y-3"
        >
          <fieldset>
            <legend className="text-sm font-medium">Rating</legend>
            <RadioGroup
              label="Rating"
              name="rating"
              options={[1, 2, 3, 4, 5]}
              value={rating}
              onChange={setRating}
              className="mt-1 flex gap-1"
              optionClassName="cursor-pointer text-3xl leading-none"
              inputClassName="peer sr-only"
              optionLabel={(n) => `${n} star${n > 1 ? "s" : ""}`}
              show={(n) => (
                <span
                  className={`rounded peer-focus-visible:outline-2 peer-focus-visible:outline-accent ${n <= rating ? "text-amber-500" : "text-line"}`}
                >
                  ★
                </span>
              )}
            />
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
      {open === "deliver" || open === "request-revision" ? null : <FormError message={mutation.error?.message} />}
    </div>
  );
}

/**
 * An action that sends one text (a delivery, a revision request) in the one validation style: its message next to
 * the field, the API's refusal said there too, and a character count up to the contract's limit.
 */
interface TextActionProps {
  rules: Rules;
  name: string;
  label: string;
  rows: number;
  placeholder?: string;
  submitLabel: string;
  pending: boolean;
  send: (text: string, onError: (err: unknown) => void) => void;
}

function TextActionForm({ rules, name, label, rows, placeholder, submitLabel, pending, send }: TextActionProps) {
  const errors = useFormErrors(rules);
  return (
    <form className="space-y-3" {...errors.formProps((f) => send(String(f.get(name) ?? ""), errors.fail))}>
      <Field label={label} htmlFor={name} error={errors.fields[name]} max={rules[name]?.max}>
        <Textarea id={name} name={name} rows={rows} placeholder={placeholder} />
      </Field>
      <FormError message={errors.form} />
      <Button type="submit" disabled={pending}>
        {submitLabel}
      </Button>
    </form>
  );
}
