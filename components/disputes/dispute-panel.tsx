"use client";

import { useState } from "react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, SectionTitle } from "@/components/ui/card";
import { Field, FormError, Textarea } from "@/components/ui/field";
import { formatCents } from "@/components/ui/format";
import { useJobDispute, useOpenDispute } from "@/lib/client/dispute-hooks";
import { DISPUTE_RULES } from "@/lib/client/form-rules";
import type { JobDetail } from "@/lib/client/types";
import { useFormErrors } from "@/lib/client/use-form-errors";
import { DisputeOutcome } from "./dispute-outcome";

/**
 * The job page's dispute card: the dispute's state when there is one, else on a delivered job an "Open dispute"
 * action for its client or worker (a reason, then a confirmation that says what happens to the money). Nothing
 * for any other job.
 */
export function DisputePanel({ job }: { job: JobDetail }) {
  if (job.dispute) return <DisputeState job={job} disputeId={job.dispute.id} />;
  if (job.status !== "delivered") return null;
  return <OpenDispute job={job} />;
}

function DisputeState({ job, disputeId }: { job: JobDetail; disputeId: string }) {
  const { data: dispute, error } = useJobDispute(job.id, disputeId);
  return (
    <Card>
      <SectionTitle
        action={
          <span data-testid="dispute-status">
            <Badge tone={job.dispute?.status === "open" ? "warn" : "neutral"}>{job.dispute?.status ?? "open"}</Badge>
          </span>
        }
      >
        Dispute
      </SectionTitle>
      {dispute ? (
        <div className="space-y-2 text-sm">
          <p>
            Opened by the {dispute.opened_by}
            {dispute.opened_by === job.viewer_role ? " (you)" : ""}: <q>{dispute.reason}</q>
          </p>
          {dispute.status === "open" ? (
            <p className="text-muted">
              The {formatCents(dispute.price_cents)} stays in escrow until an admin resolves the dispute.
            </p>
          ) : (
            <DisputeOutcome dispute={dispute} />
          )}
        </div>
      ) : (
        <p className="text-sm text-muted">{error ? error.message : "Loading the dispute…"}</p>
      )}
    </Card>
  );
}

function OpenDispute({ job }: { job: JobDetail }) {
  const mutation = useOpenDispute(job.id);
  const [step, setStep] = useState<"closed" | "reason" | "confirm">("closed");
  const [reason, setReason] = useState("");
  const errors = useFormErrors(DISPUTE_RULES);
  const other = job.viewer_role === "client" ? "the worker" : "the client";
  return (
    <Card>
      <SectionTitle>Dispute</SectionTitle>
      {step === "closed" ? (
        <div className="space-y-2 text-sm">
          <p className="text-muted">
            Cannot agree on this delivery with {other}? An admin can look at it and decide where the money goes.
          </p>
          <Button variant="secondary" onClick={() => setStep("reason")}>
            Open dispute
          </Button>
        </div>
      ) : (
        <form
          className="space-y-3"
          {...errors.formProps(() => {
            if (step === "reason") setStep("confirm");
            else
              mutation.mutate(reason.trim(), {
                onSuccess: () => setStep("closed"),
                onError: (err) => {
                  errors.fail(err);
                  setStep("reason");
                },
              });
          })}
        >
          <Field
            label="Why do you dispute this delivery?"
            htmlFor="dispute-reason"
            error={errors.fields.reason}
            max={DISPUTE_RULES.reason.max}
            value={reason}
          >
            <Textarea
              id="dispute-reason"
              name="reason"
              rows={3}
              value={reason}
              readOnly={step === "confirm"}
              onChange={(e) => setReason(e.target.value)}
            />
          </Field>
          {step === "confirm" ? (
            <p role="status" className="rounded-md bg-warn/10 px-3 py-2 text-sm">
              Open a dispute? The {formatCents(job.price_cents)} stays in escrow, the job can no longer be accepted or
              auto-accepted, and an admin decides: a refund, a release to the worker, or a split. Both sides are told.
            </p>
          ) : null}
          <div className="flex flex-wrap gap-2">
            <Button type="submit" variant={step === "confirm" ? "danger" : "primary"} disabled={mutation.isPending}>
              {step === "confirm" ? "Yes, open the dispute" : "Continue"}
            </Button>
            <Button variant="secondary" onClick={() => setStep(step === "confirm" ? "reason" : "closed")}>
              Back
            </Button>
          </div>
          <FormError message={errors.form} />
        </form>
      )}
    </Card>
  );
}
