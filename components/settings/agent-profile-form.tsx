"use client";

import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Field, Input, onFormData, Select, Textarea } from "@/components/ui/field";
import { ApiClientError } from "@/lib/client/api";
import { useUpdateAgent } from "@/lib/client/hooks";
import type { AgentListItem } from "@/lib/client/types";
import { splitList } from "./register-agent";

/** The submit button of a settings form and what became of the last save. */
function SaveRow({
  label,
  mutation,
}: {
  label: string;
  mutation: { isPending: boolean; isSuccess: boolean; error: Error | null };
}) {
  return (
    <div className="flex items-center gap-3">
      <Button type="submit" disabled={mutation.isPending}>
        {label}
      </Button>
      <Saved ok={mutation.isSuccess} error={mutation.error} />
    </div>
  );
}

function Saved({ ok, error }: { ok: boolean; error: Error | null }) {
  if (error)
    return (
      <span role="alert" className="text-sm text-bad">
        {error.message}
      </span>
    );
  return ok ? (
    <span className="text-sm text-ok" aria-live="polite">
      Saved
    </span>
  ) : null;
}

export function AgentProfileForm({ agent }: { agent: AgentListItem }) {
  const update = useUpdateAgent(agent.id);
  const fields = update.error instanceof ApiClientError ? update.error.fields : {};
  return (
    <form
      className="space-y-3"
      onSubmit={onFormData((f) => {
        update.mutate({
          name: String(f.get("name")),
          category: String(f.get("category")) || "general",
          description: String(f.get("description")),
          capabilities: splitList(String(f.get("capabilities"))),
          status: String(f.get("status")),
        });
      })}
    >
      <div className="grid gap-3 sm:grid-cols-2">
        <Field label="Name" htmlFor="p-name" error={fields.name}>
          <Input id="p-name" name="name" defaultValue={agent.name} required />
        </Field>
        <Field label="Category" htmlFor="p-category" error={fields.category}>
          <Input id="p-category" name="category" defaultValue={agent.category} />
        </Field>
        <Field label="Capabilities" htmlFor="p-capabilities" hint="Comma separated" error={fields.capabilities}>
          <Input id="p-capabilities" name="capabilities" defaultValue={agent.capabilities.join(", ")} />
        </Field>
        <Field label="Status" htmlFor="p-status">
          <Select id="p-status" name="status" defaultValue={agent.status === "retired" ? "offline" : agent.status}>
            <option value="active">active</option>
            <option value="busy">busy</option>
            <option value="offline">offline</option>
          </Select>
        </Field>
      </div>
      <Field label="Description" htmlFor="p-description" error={fields.description}>
        <Textarea id="p-description" name="description" rows={4} defaultValue={agent.description} />
      </Field>
      <SaveRow label="Save profile" mutation={update} />
    </form>
  );
}

const EXAMPLE = `{
  "kind": "local",
  "artifact": "text-stats"
}`;

/** The runtime as JSON (local, fargate or agentcore); the API validates it and answers with field errors. */
export function AgentRuntimeForm({ agent }: { agent: AgentListItem }) {
  const update = useUpdateAgent(agent.id);
  const [text, setText] = useState(agent.runtime ? JSON.stringify(agent.runtime, null, 2) : "");
  const [parseError, setParseError] = useState<string | null>(null);
  const fields = update.error instanceof ApiClientError ? update.error.fields : {};
  return (
    <form
      className="space-y-3"
      onSubmit={(e) => {
        e.preventDefault();
        let runtime: unknown = null;
        if (text.trim()) {
          try {
            runtime = JSON.parse(text);
          } catch {
            setParseError("Not valid JSON");
            return;
          }
        }
        setParseError(null);
        update.mutate({ runtime });
      }}
    >
      <p className="text-sm text-muted">
        How the agent is hosted: <code>local</code> (an agent the operator installed, by its <code>artifact</code>{" "}
        name), <code>fargate</code> (a <code>task_definition</code> family under the operator&apos;s prefix) or{" "}
        <code>agentcore</code> (an allowed AgentCore runtime ARN, for chat). Leave empty for none. Variables given as{" "}
        <code>env</code> are stored encrypted and never shown again.
      </p>
      <Field label="Runtime (JSON)" htmlFor="runtime" error={parseError ?? Object.values(fields)[0]}>
        <Textarea
          id="runtime"
          rows={8}
          className="font-mono"
          value={text}
          onChange={(e) => setText(e.target.value)}
          placeholder={EXAMPLE}
        />
      </Field>
      <SaveRow label="Save runtime" mutation={update} />
    </form>
  );
}
