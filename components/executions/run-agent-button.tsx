"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { api, ApiClientError } from "@/lib/client/api";
import type { Execution } from "@/lib/client/runtime-types";

/** Starts an execution and opens its page; signed-out visitors are sent to sign in first. */
export function RunAgentButton({ agentId }: { agentId: string }) {
  const router = useRouter();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  return (
    <div className="flex flex-col gap-1">
      <Button
        variant="secondary"
        disabled={busy}
        onClick={async () => {
          setBusy(true);
          setError(null);
          try {
            const e = await api<Execution>(`/api/agents/${agentId}/run`, { method: "POST", body: { input: {} } });
            router.push(`/executions/${e.execution_id}`);
          } catch (err) {
            if (err instanceof ApiClientError && err.status === 401) {
              router.push(`/signin?callbackUrl=${encodeURIComponent(location.pathname)}`);
              return;
            }
            setError(err instanceof Error ? err.message : "Could not start");
            setBusy(false);
          }
        }}
      >
        {busy ? "Starting…" : "Run"}
      </Button>
      {error ? (
        <p role="alert" className="text-xs text-bad">
          {error}
        </p>
      ) : null}
    </div>
  );
}
