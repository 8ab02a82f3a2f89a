"use client";

import { useState } from "react";
import { Field, Input, Select } from "@/components/ui/field";
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
  const stored = agent.runtime as Stored;
  const [kind, setKind] = useState<Kind>((str(stored, "kind") as Kind) || "none");
  const storedArtifact = str(stored, "artifact");
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
          <Field
            label="Task definition"
            htmlFor="rt-task"
            error={errors.fields.task_definition}
            hint="family or family:revision"
          >
            <Input
              id="rt-task"
              name="task_definition"
              defaultValue={str(stored, "task_definition")}
              placeholder="my-agent"
            />
          </Field>
          <Field label="Container" htmlFor="rt-container" error={errors.fields.container_name} hint="Default: agent">
            <Input
              id="rt-container"
              name="container_name"
              defaultValue={str(stored, "container_name")}
              placeholder="agent"
            />
          </Field>
        </div>
      ) : null}
      {kind === "agentcore" ? (
        <div className="grid gap-3 sm:grid-cols-2">
          <Field label="Runtime ARN" htmlFor="rt-arn" error={errors.fields.runtime_arn}>
            <Input
              id="rt-arn"
              name="runtime_arn"
              defaultValue={str(stored, "runtime_arn")}
              placeholder="arn:aws:bedrock-agentcore:us-east-1:123456789012:runtime/my-agent"
            />
          </Field>
          <Field label="Qualifier" htmlFor="rt-qualifier" error={errors.fields.qualifier} hint="Default: DEFAULT">
            <Input id="rt-qualifier" name="qualifier" defaultValue={str(stored, "qualifier")} placeholder="DEFAULT" />
          </Field>
          <Field label="Transport" htmlFor="rt-transport" hint="WebSocket streams answers as they are written">
            <Select id="rt-transport" name="transport" defaultValue={str(stored, "transport", "ws")}>
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
