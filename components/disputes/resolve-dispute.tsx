"use client";

import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Field, FormError, Input } from "@/components/ui/field";
import { formatCents } from "@/components/ui/format";
import { dollarsToCents } from "@/components/wallet/amount";
import { useResolveDispute, type Dispute } from "@/lib/client/dispute-hooks";

type Resolution = "refund" | "release" | "split";

const LABELS: Record<Resolution, string> = { refund: "Full refund", release: "Full release", split: "Split" };

/** What the admin's choice does with the escrow, said before they confirm it. */
export function resolutionSummary(d: Pick<Dispute, "price_cents">, r: Resolution, clientCents: number | null) {
  const price = formatCents(d.price_cents);
  if (r === "refund") return `Refund all ${price} to the client and cancel the job?`;
  if (r === "release") return `Release all ${price} to the worker (less the platform fee) and complete the job?`;
  if (clientCents === null) return null;
  return `Return ${formatCents(clientCents)} to the client and pay ${formatCents(d.price_cents - clientCents)} to the worker (less the platform fee on it), completing the job?`;
}

/** An open dispute's three resolutions, each behind a confirmation (the split with the amount back to the client). */
export function ResolveDispute({ dispute }: { dispute: Dispute }) {
  const mutation = useResolveDispute();
  const [choice, setChoice] = useState<Resolution | null>(null);
  const [amount, setAmount] = useState("");
  const [note, setNote] = useState("");
  const clientCents = choice === "split" ? dollarsToCents(amount) : null;
  const splitInvalid =
    choice === "split" && (clientCents === null || clientCents <= 0 || clientCents >= dispute.price_cents);
  const summary = choice ? resolutionSummary(dispute, choice, clientCents) : null;
  const id = dispute.id.slice(0, 8);

  return (
    <div className="mt-3 space-y-3">
      <div className="flex flex-wrap gap-2" role="group" aria-label="Resolve">
        {(Object.keys(LABELS) as Resolution[]).map((r) => (
          <Button
            key={r}
            variant={choice === r ? "primary" : "secondary"}
            aria-pressed={choice === r}
            onClick={() => {
              setChoice(r);
              mutation.reset();
            }}
          >
            {LABELS[r]}
          </Button>
        ))}
      </div>
      {choice ? (
        <form
          className="space-y-3"
          onSubmit={(e) => {
            e.preventDefault();
            if (splitInvalid) return;
            mutation.mutate({
              id: dispute.id,
              body: {
                resolution: choice,
                ...(choice === "split" && clientCents !== null ? { client_cents: clientCents } : {}),
                ...(note.trim() ? { note: note.trim() } : {}),
              },
            });
          }}
        >
          {choice === "split" ? (
            <Field
              label="Back to the client (US dollars)"
              htmlFor={`split-${id}`}
              hint={`More than $0.00 and less than ${formatCents(dispute.price_cents)}; the rest goes to the worker.`}
              error={amount && splitInvalid ? `Between $0.01 and ${formatCents(dispute.price_cents - 1)}` : undefined}
            >
              <Input
                id={`split-${id}`}
                inputMode="decimal"
                value={amount}
                onChange={(e) => setAmount(e.target.value)}
                placeholder="e.g. 12.50"
              />
            </Field>
          ) : null}
          <Field label="Note to both parties (optional)" htmlFor={`note-${id}`}>
            <Input id={`note-${id}`} value={note} maxLength={5000} onChange={(e) => setNote(e.target.value)} />
          </Field>
          {summary ? (
            <p role="status" className="rounded-md bg-warn/10 px-3 py-2 text-sm">
              {summary}
            </p>
          ) : null}
          <div className="flex flex-wrap gap-2">
            <Button type="submit" variant="danger" disabled={mutation.isPending || splitInvalid}>
              Confirm {LABELS[choice].toLowerCase()}
            </Button>
            <Button variant="secondary" onClick={() => setChoice(null)}>
              Back
            </Button>
          </div>
          <FormError message={mutation.error?.message} />
        </form>
      ) : null}
    </div>
  );
}
