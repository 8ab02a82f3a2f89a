"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Field, FormError, Input, Textarea } from "@/components/ui/field";
import { formatCents } from "@/components/ui/format";
import { api, ApiClientError } from "@/lib/client/api";
import { checkValue, plainMessage } from "@/lib/client/form-errors";
import { HIRE_RULES } from "@/lib/client/form-rules";
import { readInputs } from "@/lib/client/inputs";
import type { Job, Service } from "@/lib/client/types";
import { autoDeliveryText } from "@/components/executions/auto-delivery-note";
import type { AutoDelivery } from "@/lib/runtime/execute/estimate";

export function HireForm({ service, auto = null }: { service: Service; auto?: AutoDelivery | null }) {
  const router = useRouter();
  const [pending, setPending] = useState<{ title: string; input_data: Record<string, unknown> } | null>(null);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  function review(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const title = String(form.get("title") ?? "").trim();
    const { data, errors } = readInputs(service.required_inputs, form);
    const titleError = checkValue(HIRE_RULES.title, title);
    if (titleError) errors.title = titleError;
    setErrors(errors);
    setError(null);
    if (Object.keys(errors).length === 0) setPending({ title, input_data: data });
  }

  /** An edited field's message goes: it is checked again when the form is sent. */
  function clearFixed(e: React.FormEvent<HTMLFormElement>) {
    const name = (e.target as HTMLInputElement).name.replace(/^input\./, "");
    if (errors[name]) setErrors(({ [name]: _fixed, ...rest }) => rest);
  }

  async function confirm() {
    if (!pending) return;
    setBusy(true);
    try {
      const job = await api<Job>("/api/jobs", { body: { service_id: service.id, ...pending } });
      router.push(`/jobs/${job.id}`);
    } catch (err) {
      setBusy(false);
      setPending(null);
      if (err instanceof ApiClientError) {
        const placed = Object.keys(err.fields).length > 0;
        if (err.status === 402) setError(`${err.message} Top up on the Wallet page, then hire again.`);
        else setError(placed ? null : err.message);
        // Field errors in plain words next to their field (lib/client/form-errors.ts); inputs by their own name.
        const f = Object.entries(err.fields).map(([k, v]) => [k.replace(/^input_data\./, ""), v] as const);
        setErrors(
          Object.fromEntries(f.map(([k, v]) => [k, plainMessage({ label: k === "title" ? "Job title" : k }, v)])),
        );
      } else setError("Could not reach the server.");
    }
  }

  return (
    <form onSubmit={review} onChange={clearFixed} className="space-y-4" noValidate>
      <fieldset disabled={!!pending || busy} className="space-y-4">
        <Field label="Job title" htmlFor="title" error={errors.title} max={HIRE_RULES.title.max}>
          <Input id="title" name="title" placeholder="What should be done?" />
        </Field>
        {service.required_inputs.map((i) => {
          const id = `input.${i.name}`;
          if (i.type === "boolean") {
            return (
              <label key={i.name} className="flex items-center gap-2 text-sm">
                <input type="checkbox" id={id} name={id} className="size-4 accent-accent" />
                <span className="font-medium">{i.name}</span>
                {i.description ? <span className="text-muted">— {i.description}</span> : null}
              </label>
            );
          }
          return (
            <Field key={i.name} label={i.name} htmlFor={id} error={errors[i.name]} hint={i.description ?? `${i.type}`}>
              {i.type === "object" || i.type === "array" ? (
                <Textarea
                  id={id}
                  name={id}
                  rows={3}
                  className="font-mono"
                  placeholder={i.type === "array" ? "[ ]" : "{ }"}
                />
              ) : (
                <Input id={id} name={id} inputMode={i.type === "number" ? "decimal" : undefined} />
              )}
            </Field>
          );
        })}
      </fieldset>
      <FormError message={error} />
      {pending ? (
        <div
          role="alertdialog"
          aria-labelledby="confirm-hire"
          className="space-y-3 rounded-lg border border-accent/50 bg-accent/5 p-3"
        >
          <p id="confirm-hire" className="text-sm">
            Hire <strong>{service.agent.name}</strong> for <strong>{formatCents(service.price_cents)}</strong> to do “
            {pending.title}”?
          </p>
          <ul className="list-inside list-disc space-y-1 text-sm text-muted" data-testid="hire-terms">
            {auto ? <li data-testid="hire-auto">{autoDeliveryText(auto)}</li> : null}
            <li>
              {formatCents(service.price_cents)} leaves your available balance now and is held in escrow until you
              accept the work. Cancelled or failed jobs are refunded.
            </li>
            <li>
              {service.max_revisions === 1 ? "1 revision" : `${service.max_revisions} revisions`} included; after that,
              accept the delivery or open a dispute.
            </li>
            <li>
              A delivery you do not act on completes on its own at the time shown on the job, and the worker is paid.
            </li>
          </ul>
          <div className="flex gap-2">
            <Button onClick={confirm} disabled={busy} autoFocus>
              {busy ? "Hiring…" : "Confirm and hire"}
            </Button>
            <Button variant="secondary" onClick={() => setPending(null)} disabled={busy}>
              Back
            </Button>
          </div>
        </div>
      ) : (
        <Button type="submit" className="w-full">
          Hire for {formatCents(service.price_cents)}
        </Button>
      )}
    </form>
  );
}
