"use client";

import Link from "next/link";
import { useState } from "react";
import { useQueryClient } from "@tanstack/react-query";
import { Button } from "@/components/ui/button";
import { Field, Input, onFormData, Select, Textarea } from "@/components/ui/field";
import { formatUsd } from "@/components/ui/format";
import { EmptyState, ErrorState, Skeleton } from "@/components/ui/states";
import { api, ApiClientError } from "@/lib/client/api";
import { useAgentServices, useSaveService } from "@/lib/client/hooks";
import { qk } from "@/lib/client/keys";
import type { RequiredInput, Service } from "@/lib/client/types";
import { splitList } from "./register-agent";

const TYPES: RequiredInput["type"][] = ["string", "number", "boolean", "object", "array"];

export function AgentServices({ agentId }: { agentId: string }) {
  const services = useAgentServices(agentId);
  const qc = useQueryClient();
  const [editing, setEditing] = useState<Service | "new" | null>(null);
  const [error, setError] = useState<string | null>(null);

  if (editing) {
    return (
      <ServiceForm agentId={agentId} service={editing === "new" ? null : editing} onDone={() => setEditing(null)} />
    );
  }
  return (
    <div className="space-y-3">
      <Button onClick={() => setEditing("new")}>New service</Button>
      {error ? (
        <p role="alert" className="text-sm text-bad">
          {error}
        </p>
      ) : null}
      {services.isPending ? (
        <Skeleton className="h-24" />
      ) : services.isError ? (
        <ErrorState message={services.error.message} />
      ) : services.data.data.length === 0 ? (
        <EmptyState title="No services yet">
          Publish a fixed-price service so that others can hire this agent.
        </EmptyState>
      ) : (
        <ul className="divide-y divide-line rounded-lg border border-line">
          {services.data.data.map((s) => (
            <li key={s.id} className="flex flex-wrap items-center gap-3 px-3 py-2 text-sm">
              <Link href={`/services/${s.id}`} className="min-w-0 flex-1 truncate font-medium hover:underline">
                {s.name}
              </Link>
              <span>{formatUsd(s.price_usd)}</span>
              <Button variant="secondary" className="text-xs" onClick={() => setEditing(s)}>
                Edit
              </Button>
              <Button
                variant="danger"
                className="text-xs"
                onClick={async () => {
                  setError(null);
                  try {
                    await api(`/api/services/${s.id}`, { method: "DELETE" });
                    await qc.invalidateQueries({ queryKey: qk.services(agentId) });
                  } catch (err) {
                    setError(err instanceof Error ? err.message : "Could not deactivate");
                  }
                }}
              >
                Deactivate
              </Button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

function ServiceForm({ agentId, service, onDone }: { agentId: string; service: Service | null; onDone: () => void }) {
  const save = useSaveService(agentId);
  const [inputs, setInputs] = useState<RequiredInput[]>(service?.required_inputs ?? []);
  const fields = save.error instanceof ApiClientError ? save.error.fields : {};
  const setInput = (i: number, patch: Partial<RequiredInput>) =>
    setInputs((list) => list.map((x, j) => (j === i ? { ...x, ...patch } : x)));

  return (
    <form
      className="space-y-3"
      onSubmit={onFormData((f) => {
        save.mutate(
          {
            id: service?.id,
            body: {
              name: String(f.get("name")),
              description: String(f.get("description")),
              price_usd: Number(f.get("price_usd")),
              output_type: String(f.get("output_type")) || "text",
              capabilities_required: splitList(String(f.get("capabilities_required"))),
              required_inputs: inputs
                .filter((i) => i.name.trim())
                .map((i) => ({
                  name: i.name.trim(),
                  type: i.type,
                  ...(i.description ? { description: i.description } : {}),
                })),
            },
          },
          { onSuccess: onDone },
        );
      })}
    >
      <h3 className="font-semibold">{service ? `Edit ${service.name}` : "New service"}</h3>
      <div className="grid gap-3 sm:grid-cols-2">
        <Field label="Name" htmlFor="s-name" error={fields.name}>
          <Input id="s-name" name="name" defaultValue={service?.name} required />
        </Field>
        <Field label="Price (USD)" htmlFor="s-price" error={fields.price_usd}>
          <Input
            id="s-price"
            name="price_usd"
            type="number"
            min="0.01"
            step="0.01"
            defaultValue={service?.price_usd}
            required
          />
        </Field>
        <Field label="Output type" htmlFor="s-output" error={fields.output_type}>
          <Input id="s-output" name="output_type" defaultValue={service?.output_type ?? "text"} />
        </Field>
        <Field
          label="Capabilities required"
          htmlFor="s-caps"
          hint="Comma separated"
          error={fields.capabilities_required}
        >
          <Input id="s-caps" name="capabilities_required" defaultValue={service?.capabilities_required.join(", ")} />
        </Field>
      </div>
      <Field label="Description" htmlFor="s-description" error={fields.description}>
        <Textarea id="s-description" name="description" rows={3} defaultValue={service?.description} />
      </Field>
      <fieldset className="space-y-2">
        <legend className="text-sm font-medium">Required inputs</legend>
        {inputs.map((inp, i) => (
          <div key={i} className="flex flex-wrap gap-2">
            <Input
              aria-label="Input name"
              value={inp.name}
              onChange={(e) => setInput(i, { name: e.target.value })}
              placeholder="name"
              className="max-w-40"
            />
            <Select
              aria-label="Input type"
              value={inp.type}
              onChange={(e) => setInput(i, { type: e.target.value as RequiredInput["type"] })}
              className="max-w-32"
            >
              {TYPES.map((t) => (
                <option key={t}>{t}</option>
              ))}
            </Select>
            <Input
              aria-label="Input description"
              value={inp.description ?? ""}
              onChange={(e) => setInput(i, { description: e.target.value })}
              placeholder="description"
              className="min-w-40 flex-1"
            />
            <Button
              variant="ghost"
              onClick={() => setInputs((l) => l.filter((_, j) => j !== i))}
              aria-label={`Remove input ${inp.name}`}
            >
              ✕
            </Button>
          </div>
        ))}
        {fields.required_inputs ? <p className="text-xs text-bad">{fields.required_inputs}</p> : null}
        <Button variant="secondary" onClick={() => setInputs((l) => [...l, { name: "", type: "string" }])}>
          Add input
        </Button>
      </fieldset>
      {save.isError ? (
        <p role="alert" className="text-sm text-bad">
          {save.error.message}
        </p>
      ) : null}
      <div className="flex gap-2">
        <Button type="submit" disabled={save.isPending}>
          {service ? "Save service" : "Publish service"}
        </Button>
        <Button variant="ghost" onClick={onDone}>
          Cancel
        </Button>
      </div>
    </form>
  );
}
