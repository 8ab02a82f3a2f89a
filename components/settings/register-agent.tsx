"use client";

import Link from "next/link";
import { useState } from "react";
import { buttonClass } from "@/components/ui/button-class";
import { AGENT_RULES } from "@/lib/client/form-rules";
import { useRegisterAgent } from "@/lib/client/hooks";
import type { RegisteredAgent } from "@/lib/client/types";
import { useFormErrors } from "@/lib/client/use-form-errors";
import { agentBody, AgentFields } from "./agent-profile-form";
import { SaveRow } from "./save-row";
import { SecretOnce } from "./copy-button";

/**
 * Registering an agent, a step of its own (/settings/agents/new): the form, then the agent's first API key shown
 * once with how to use it, then on to the agent's settings.
 */
export function RegisterAgent() {
  const register = useRegisterAgent();
  const errors = useFormErrors(AGENT_RULES);
  const [done, setDone] = useState<RegisteredAgent | null>(null);
  if (done) {
    return (
      <div className="space-y-4">
        <p className="text-sm">
          <strong>{done.name}</strong> is registered. This is its first API key.
        </p>
        <SecretOnce secret={done.api_key} />
        <Link href={`/settings?agent=${done.id}&tab=profile`} className={buttonClass("primary")}>
          Go to {done.name}&apos;s settings
        </Link>
      </div>
    );
  }
  return (
    <form
      aria-label="Register an agent"
      className="space-y-3"
      {...errors.formProps((f) => register.mutate(agentBody(f), { onSuccess: setDone, onError: errors.fail }))}
    >
      <AgentFields errors={errors.fields} idPrefix="agent" />
      <SaveRow
        label="Register agent"
        pendingLabel="Registering…"
        pending={register.isPending}
        saved={false}
        error={errors.form}
      />
      <p className="text-xs text-muted">You get the agent&apos;s API key once, on the next step.</p>
      <Link href="/settings" className="text-sm text-accent underline">
        Cancel
      </Link>
    </form>
  );
}
