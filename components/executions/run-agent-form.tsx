"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Field, FormError, Input, onFormData, Select, Textarea } from "@/components/ui/field";
import type { InputProperty, InputSchema } from "@/lib/api/contracts/input-schema";
import { api, ApiClientError } from "@/lib/client/api";
import { fieldName, RAW_FIELD, readSchemaInputs, timeoutChoices } from "./schema-inputs";

export interface RunTarget {
  /** `execute`: POST /api/agents/{id}/execute (deployed agents); `run`: a process run (POST .../run, the owner). */
  kind: "execute" | "run";
  /** execute: the deployment environment that runs it. */
  environment?: string;
  label: string;
}

export interface RunFormProps {
  agentId: string;
  schema: InputSchema | null;
  /** Where it may run; with more than one the form offers the choice (the first is the default). */
  targets: RunTarget[];
  timeouts: { defaultS: number; maxS: number };
  /** Prefill (run again): the parameters of an earlier execution. */
  initial?: Record<string, unknown>;
}

/** Starts an execution and answers its id. Async execute: the execution page watches it live. */
export async function startRun(
  agentId: string,
  target: RunTarget,
  parameters: Record<string, unknown>,
  timeout: number,
): Promise<string> {
  if (target.kind === "run") {
    const e = await api<{ execution_id: string }>(`/api/agents/${agentId}/run`, {
      method: "POST",
      body: { input: parameters, timeout_s: timeout },
    });
    return e.execution_id;
  }
  const e = await api<{ execution_id: string }>(`/api/agents/${agentId}/execute`, {
    method: "POST",
    query: { environment: target.environment },
    body: { input_data: { parameters }, execution_options: { timeout, async: true } },
  });
  return e.execution_id;
}

/** The run form, generated from the agent's declared input (JSON Schema); free JSON when it declares none. */
export function RunAgentForm(props: RunFormProps) {
  const { agentId, schema, targets, timeouts, initial } = props;
  const router = useRouter();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const choices = timeoutChoices(timeouts.defaultS, timeouts.maxS);

  const submit = onFormData(async (form) => {
    const { data, errors } = readSchemaInputs(schema, form);
    setFieldErrors(errors);
    if (Object.keys(errors).length) return;
    setBusy(true);
    setError(null);
    try {
      const target = targets[Number(form.get("target") ?? 0)] ?? (targets[0] as RunTarget);
      const id = await startRun(agentId, target, data, Number(form.get("timeout")));
      router.push(`/executions/${id}`);
    } catch (err) {
      if (err instanceof ApiClientError && err.status === 401) {
        router.push(`/signin?callbackUrl=${encodeURIComponent(location.pathname)}`);
        return;
      }
      setError(err instanceof Error ? err.message : "Could not start");
      setBusy(false);
    }
  });

  return (
    <form onSubmit={submit} className="space-y-4" aria-label="Run the agent" noValidate>
      {schema?.description ? <p className="text-sm text-muted">{schema.description}</p> : null}
      {schema ? (
        Object.entries(schema.properties).map(([name, p]) => (
          <PropertyField
            key={name}
            name={name}
            property={p}
            required={schema.required?.includes(name) ?? false}
            error={fieldErrors[name]}
            initial={initial?.[name]}
          />
        ))
      ) : (
        <Field
          label="Input (JSON object)"
          htmlFor="run-raw"
          hint="This agent declares no input schema: its parameters as JSON."
          error={fieldErrors.__json}
        >
          <Textarea
            id="run-raw"
            name={RAW_FIELD}
            rows={5}
            className="font-mono"
            placeholder='{ "text": "Hello" }'
            defaultValue={initial ? JSON.stringify(initial, null, 2) : ""}
          />
        </Field>
      )}
      <div className="flex flex-wrap items-end gap-3">
        {targets.length > 1 ? (
          <div className="w-72">
            <Field label="Run on" htmlFor="run-target">
              <Select id="run-target" name="target" defaultValue="0">
                {targets.map((t, i) => (
                  <option key={t.label} value={i}>
                    {t.label}
                  </option>
                ))}
              </Select>
            </Field>
          </div>
        ) : null}
        <div className="w-40">
          <Field label="Timeout" htmlFor="run-timeout">
            <Select id="run-timeout" name="timeout" defaultValue={String(Math.min(timeouts.defaultS, timeouts.maxS))}>
              {choices.map((s) => (
                <option key={s} value={s}>
                  {s < 60 ? `${s} s` : `${s / 60} min`}
                </option>
              ))}
            </Select>
          </Field>
        </div>
        <Button type="submit" disabled={busy}>
          {busy ? "Starting…" : "Run"}
        </Button>
      </div>
      <FormError message={error} />
    </form>
  );
}

const asText = (v: unknown): string =>
  v === undefined || v === null ? "" : typeof v === "string" ? v : JSON.stringify(v, null, 2);

function PropertyField({
  name,
  property: p,
  required,
  error,
  initial,
}: {
  name: string;
  property: InputProperty;
  required: boolean;
  error?: string;
  initial: unknown;
}) {
  const id = `run-${name}`;
  const label = `${p.title ?? name}${required ? "" : " (optional)"}`;
  const common = {
    id,
    name: fieldName(name),
    "aria-invalid": error ? true : undefined,
    "aria-required": required || undefined,
  };
  const given = initial !== undefined ? initial : "default" in p ? p.default : undefined;
  let control;
  if (p.type === "boolean") {
    return (
      <div className="space-y-1">
        <label htmlFor={id} className="flex items-center gap-2 text-sm font-medium">
          <input type="checkbox" {...common} defaultChecked={given === true} />
          {label}
        </label>
        {p.description ? <p className="text-xs text-muted">{p.description}</p> : null}
      </div>
    );
  }
  if (p.type === "string" && p.enum) {
    control = (
      <Select {...common} defaultValue={asText(given)}>
        {required ? null : <option value="">—</option>}
        {p.enum.map((v) => (
          <option key={v}>{v}</option>
        ))}
      </Select>
    );
  } else if (p.type === "number" || p.type === "integer") {
    control = (
      <Input
        {...common}
        type="number"
        step={p.type === "integer" ? 1 : "any"}
        min={p.minimum}
        max={p.maximum}
        defaultValue={asText(given)}
      />
    );
  } else if (p.type === "string" && p.format !== "textarea") {
    control = <Input {...common} maxLength={p.maxLength} defaultValue={asText(given)} />;
  } else {
    const json = p.type === "object" || (p.type === "array" && p.items?.type === "object");
    const lines = p.type === "array" && !json;
    control = (
      <Textarea
        {...common}
        rows={json ? 4 : 5}
        className={json ? "font-mono" : ""}
        placeholder={json ? (p.type === "array" ? "[ { … } ]" : "{ … }") : lines ? "one per line" : undefined}
        defaultValue={lines && Array.isArray(given) ? given.join("\n") : asText(given)}
      />
    );
  }
  return (
    <Field label={label} htmlFor={id} hint={p.description} error={error}>
      {control}
    </Field>
  );
}
