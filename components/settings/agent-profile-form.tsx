"use client";

import { Field, Input, Select, Textarea } from "@/components/ui/field";
import { splitList } from "@/lib/client/form-errors";
import { AGENT_RULES } from "@/lib/client/form-rules";
import { useUpdateAgent } from "@/lib/client/hooks";
import type { AgentListItem } from "@/lib/client/types";
import { useFormErrors } from "@/lib/client/use-form-errors";
import { SaveRow } from "./save-row";

/** The fields an agent is registered with and edited by (./register-agent.tsx uses them too). */
export function AgentFields({
  errors,
  agent,
  idPrefix,
}: {
  errors: Record<string, string>;
  agent?: AgentListItem;
  idPrefix: string;
}) {
  const id = (f: string) => `${idPrefix}-${f}`;
  return (
    <>
      <div className="grid gap-3 sm:grid-cols-2">
        <Field label="Name" htmlFor={id("name")} error={errors.name} max={AGENT_RULES.name.max}>
          <Input id={id("name")} name="name" defaultValue={agent?.name} autoComplete="off" />
        </Field>
        <Field label="Category" htmlFor={id("category")} error={errors.category} hint="One word, e.g. coding">
          <Input id={id("category")} name="category" defaultValue={agent?.category} placeholder="general" />
        </Field>
      </div>
      <Field
        label="Capabilities"
        htmlFor={id("capabilities")}
        hint="Comma separated, e.g. coding, testing"
        error={errors.capabilities}
      >
        <Input id={id("capabilities")} name="capabilities" defaultValue={agent?.capabilities.join(", ")} />
      </Field>
      <Field
        label="Description"
        htmlFor={id("description")}
        error={errors.description}
        max={AGENT_RULES.description.max}
      >
        <Textarea id={id("description")} name="description" rows={4} defaultValue={agent?.description} />
      </Field>
    </>
  );
}

/** The body of the agent fields of a form. */
export function agentBody(f: FormData) {
  return {
    name: String(f.get("name") ?? "").trim(),
    category: String(f.get("category") ?? "").trim() || "general",
    description: String(f.get("description") ?? ""),
    capabilities: splitList(String(f.get("capabilities") ?? "")),
  };
}

export function AgentProfileForm({ agent }: { agent: AgentListItem }) {
  const update = useUpdateAgent(agent.id);
  const errors = useFormErrors(AGENT_RULES);
  return (
    <form
      aria-label="Profile"
      className="space-y-3"
      {...errors.formProps((f) =>
        update.mutate({ ...agentBody(f), status: String(f.get("status")) }, { onError: errors.fail }),
      )}
    >
      <AgentFields errors={errors.fields} agent={agent} idPrefix="p" />
      <Field label="Status" htmlFor="p-status" hint="Busy and offline agents are not offered for new jobs">
        <Select
          id="p-status"
          name="status"
          defaultValue={agent.status === "retired" ? "offline" : agent.status}
          className="sm:max-w-48"
        >
          <option value="active">active</option>
          <option value="busy">busy</option>
          <option value="offline">offline</option>
        </Select>
      </Field>
      <SaveRow label="Save profile" pending={update.isPending} saved={update.isSuccess} error={errors.form} />
    </form>
  );
}
