"use client";

import { useState } from "react";
import { Field, InputField, Select } from "@/components/ui/field";
import { RUNTIME_RULES } from "@/lib/client/form-rules";
import { useUpdateAgent } from "@/lib/client/hooks";
import type { AgentListItem } from "@/lib/client/types";
import { useFormErrors } from "@/lib/client/use-form-errors";
import { SaveRow } from "./save-row";

export interface ArtifactChoice {
  name: string;
  description: string;
}

type Kind = "none" | "local" | "fargate" | "agentcore";
const KINDS: { value: Kind; label: string; help: string }[] = [
  { value: "none", label: "Not hosted here", help: "The agent runs somewhere else and calls the API with its key." },
  { value: "local", label: "Installed agent", help: "One of the agent programs the operator installed here." },
  {
    value: "fargate",
    label: "AWS Fargate task",
    help: "A task definition under the operator's prefix; the cluster and network are the operator's.",
  },
  { value: "agentcore", label: "AgentCore runtime", help: "An AgentCore runtime the operator allowed, for chat." },
];

type Stored = Record<string, unknown> | null;
const str = (r: Stored, k: string, fallback = "") => (typeof r?.[k] === "string" ? (r[k] as string) : fallback);

/** The body's runtime from the form's fields: only the chosen kind's, defaults left to the API. */
function runtimeBody(kind: Kind, f: FormData): Record<string, unknown> | null {
  const v = (k: string) => String(f.get(k) ?? "").trim();
  if (kind === "local") return { kind, artifact: v("artifact") };
  if (kind === "fargate")
    return { kind, task_definition: v("task_definition"), container_name: v("container_name") || "agent" };
  if (kind === "agentcore")
    return { kind, runtime_arn: v("runtime_arn"), qualifier: v("qualifier") || "DEFAULT", transport: v("transport") };
  return null;
}

/** How the agent is hosted, as a form with the fields of each runtime kind (lib/runtime/config.ts). */
export function AgentRuntimeForm({ agent, artifacts }: { agent: AgentListItem; artifacts: ArtifactChoice[] }) {
  const update = useUpdateAgent(agent.id);
  const errors = useFormErrors(RUNTIME_RULES);
  const runtime = agent.runtime as Stored;
  const [kind, setKind] = useState<Kind>((str(runtime, "kind") as Kind) || "none");
  const storedArtifact = str(runtime, "artifact");
  /** A text field of the runtime, filled with what is stored. */
  const stored = (id: string, name: string, label: string, placeholder: string, hint?: string) => (
    <InputField
      id={id}
      name={name}
      label={label}
      defaultValue={str(runtime, name)}
      placeholder={placeholder}
      error={errors.fields[name]}
      hint={hint}
    />
  );
  const choices =
    artifacts.some((a) => a.name === storedArtifact) || !storedArtifact
      ? artifacts
      : [{ name: storedArtifact, description: "not installed on this server" }, ...artifacts];
  return (
    <form
      aria-label="Runtime"
      className="space-y-3"
      {...errors.formProps((f) => update.mutate({ runtime: runtimeBody(kind, f) }, { onError: errors.fail }))}
    >
      <fieldset className="space-y-2">
        <legend className="text-sm font-medium">Where the agent runs</legend>
        {KINDS.map((k) => (
          <div key={k.value} className="flex items-start gap-2 text-sm">
            <input
              type="radio"
              id={`rt-kind-${k.value}`}
              name="kind"
              value={k.value}
              checked={kind === k.value}
              onChange={() => (setKind(k.value), errors.clear())}
              aria-describedby={`rt-kind-${k.value}-help`}
              className="mt-1"
            />
            <div>
              <label htmlFor={`rt-kind-${k.value}`} className="font-medium">
                {k.label}
              </label>
              <p id={`rt-kind-${k.value}-help`} className="text-xs text-muted">
                {k.help}
              </p>
            </div>
          </div>
        ))}
      </fieldset>
      {kind === "local" ? (
        <Field label="Installed agent" htmlFor="rt-artifact" error={errors.fields.artifact}>
          <Select
            id="rt-artifact"
            name="artifact"
            defaultValue={storedArtifact || choices[0]?.name}
            className="sm:max-w-96"
          >
            {choices.map((a) => (
              <option key={a.name} value={a.name}>
                {a.name} — {a.description}
              </option>
            ))}
          </Select>
        </Field>
      ) : null}
      {kind === "fargate" ? (
        <div className="grid gap-3 sm:grid-cols-2">
          {stored("rt-task", "task_definition", "Task definition", "my-agent", "family or family:revision")}
          {stored("rt-container", "container_name", "Container", "agent", "Default: agent")}
        </div>
      ) : null}
      {kind === "agentcore" ? (
        <div className="grid gap-3 sm:grid-cols-2">
          {stored(
            "rt-arn",
            "runtime_arn",
            "Runtime ARN",
            "arn:aws:bedrock-agentcore:us-east-1:123456789012:runtime/my-agent",
          )}
          {stored("rt-qualifier", "qualifier", "Qualifier", "DEFAULT", "Default: DEFAULT")}
          <Field label="Transport" htmlFor="rt-transport" hint="WebSocket streams answers as they are written">
            <Select id="rt-transport" name="transport" defaultValue={str(runtime, "transport", "ws")}>
              <option value="ws">WebSocket</option>
              <option value="http">HTTP</option>
            </Select>
          </Field>
        </div>
      ) : null}
      <SaveRow label="Save runtime" pending={update.isPending} saved={update.isSuccess} error={errors.form} />
    </form>
  );
}
