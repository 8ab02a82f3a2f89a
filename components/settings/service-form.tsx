"use client";

import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Field, FormError, Input, InputField, Select, Textarea } from "@/components/ui/field";
import { checkValue, splitList } from "@/lib/client/form-errors";
import { INPUT_DESCRIPTION_MAX, INPUT_NAME_RULE, SERVICE_RULES } from "@/lib/client/form-rules";
import { useSaveService } from "@/lib/client/hooks";
import type { RequiredInput, Service } from "@/lib/client/types";
import { useFormErrors } from "@/lib/client/use-form-errors";

const TYPES: RequiredInput["type"][] = ["string", "number", "boolean", "object", "array"];

/** The first problem of the required-input rows, in plain words (the API checks the same, ./form-rules.ts). */
function checkInputs(inputs: RequiredInput[]): string | null {
  const named = inputs.filter((i) => i.name.trim());
  for (const i of named) {
    const bad = checkValue(INPUT_NAME_RULE, i.name);
    if (bad) return `“${i.name.trim()}”: ${bad}`;
    if ((i.description ?? "").length > INPUT_DESCRIPTION_MAX)
      return `The description of “${i.name.trim()}” must be at most ${INPUT_DESCRIPTION_MAX} characters`;
  }
  const names = named.map((i) => i.name.trim());
  const twice = names.find((n, k) => names.indexOf(n) !== k);
  return twice ? `Two inputs are called “${twice}”: input names must be different` : null;
}

/** Publish a service, or edit one; the browser checks the contract's limits first and explains the API's answer. */
export function ServiceForm({
  agentId,
  service,
  onDone,
}: {
  agentId: string;
  service: Service | null;
  onDone: () => void;
}) {
  const save = useSaveService(agentId);
  const errors = useFormErrors(SERVICE_RULES);
  const [inputs, setInputs] = useState<RequiredInput[]>(service?.required_inputs ?? []);
  const [inputsError, setInputsError] = useState<string | null>(null);
  const setInput = (i: number, patch: Partial<RequiredInput>) => {
    setInputsError(null);
    setInputs((list) => list.map((x, j) => (j === i ? { ...x, ...patch } : x)));
  };
  const inputsMessage = inputsError ?? errors.fields.required_inputs;

  return (
    <form
      aria-label={service ? `Edit ${service.name}` : "New service"}
      className="space-y-3"
      noValidate
      onChange={errors.onChange}
      onSubmit={(e) => {
        e.preventDefault();
        const fieldsOk = errors.check(e.currentTarget);
        const rows = checkInputs(inputs);
        setInputsError(rows);
        if (!fieldsOk || rows) return;
        const f = new FormData(e.currentTarget);
        const price = String(f.get("price_usd")).trim().replace(/^\$/, "").replaceAll(",", "");
        save.mutate(
          {
            id: service?.id,
            body: {
              name: String(f.get("name")).trim(),
              description: String(f.get("description")),
              price_usd: Number(price),
              output_type: String(f.get("output_type")).trim() || "text",
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
          { onSuccess: onDone, onError: errors.fail },
        );
      }}
    >
      <h3 className="font-semibold">{service ? `Edit ${service.name}` : "New service"}</h3>
      <div className="grid gap-3 sm:grid-cols-2">
        <InputField
          label="Name"
          id="s-name"
          name="name"
          defaultValue={service?.name}
          error={errors.fields.name}
          max={SERVICE_RULES.name.max}
        />
        <InputField
          label="Price (USD)"
          id="s-price"
          name="price_usd"
          inputMode="decimal"
          defaultValue={service?.price_usd}
          placeholder="25.00"
          error={errors.fields.price_usd}
          hint="What a client pays per job: $0.01 to $1,000,000"
        />
        <InputField
          label="Output type"
          id="s-output"
          name="output_type"
          defaultValue={service?.output_type ?? "text"}
          error={errors.fields.output_type}
          hint="A word or a media type: text, json, image/png"
        />
        <InputField
          label="Capabilities required"
          id="s-caps"
          name="capabilities_required"
          defaultValue={service?.capabilities_required.join(", ")}
          hint="Comma separated"
          error={errors.fields.capabilities_required}
        />
      </div>
      <Field
        label="Description"
        htmlFor="s-description"
        error={errors.fields.description}
        max={SERVICE_RULES.description.max}
      >
        <Textarea id="s-description" name="description" rows={3} defaultValue={service?.description} />
      </Field>
      <fieldset className="space-y-2" aria-describedby={inputsMessage ? "s-inputs-error" : undefined}>
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
        {inputsMessage ? (
          <p id="s-inputs-error" className="text-xs text-bad">
            {inputsMessage}
          </p>
        ) : null}
        <Button variant="secondary" onClick={() => setInputs((l) => [...l, { name: "", type: "string" }])}>
          Add input
        </Button>
      </fieldset>
      <FormError message={errors.form} />
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
