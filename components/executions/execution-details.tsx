"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, SectionTitle } from "@/components/ui/card";
import { ApiClientError } from "@/lib/client/api";
import type { Execution } from "@/lib/client/runtime-types";
import { ExecutionOutput } from "./execution-output";
import { startRun } from "./run-agent-form";
import { formatMs, statusWords } from "./status-words";

/** What a person asks first: did it work (or why not), how long it took and how long it waited. */
export function ExecutionSummary({ exec }: { exec: Execution }) {
  const s = statusWords(exec);
  return (
    <dl className="mt-4 grid gap-3 text-sm sm:grid-cols-4">
      <div className="sm:col-span-2">
        <dt className="text-xs text-muted">Outcome</dt>
        <dd data-testid="execution-outcome">
          <Badge tone={s.tone}>{s.words}</Badge>
        </dd>
      </div>
      <div>
        <dt className="text-xs text-muted">Duration</dt>
        <dd data-testid="duration">{formatMs(exec.performance.duration)}</dd>
      </div>
      <div>
        <dt className="text-xs text-muted">Queue time</dt>
        <dd data-testid="queue-time">{formatMs(exec.performance.queue_time)}</dd>
      </div>
      {exec.host === "deployed" ? (
        <div className="sm:col-span-4">
          <dt className="text-xs text-muted">Served by</dt>
          <dd>
            {exec.version ? `version ${exec.version}` : "—"}
            {exec.environment ? ` (${exec.environment})` : ""}
            {exec.attempts.length > 1 ? ` · ${exec.attempts.length} attempts` : ""}
          </dd>
        </div>
      ) : null}
    </dl>
  );
}

/** The input it was given and the output it gave (or the error), side by side on wide screens. */
export function ExecutionIO({ exec }: { exec: Execution }) {
  const error = exec.result.error;
  return (
    <div className="grid gap-6 *:min-w-0 lg:grid-cols-2">
      <Card>
        <SectionTitle>Input</SectionTitle>
        <pre data-testid="input" className="max-h-[32rem] overflow-auto rounded-lg bg-subtle p-3 font-mono text-xs">
          {JSON.stringify(exec.input, null, 2)}
        </pre>
      </Card>
      <Card>
        <SectionTitle>Output</SectionTitle>
        {error ? (
          <div role="alert" className="mb-3 rounded-md bg-bad/10 px-3 py-2 text-sm text-bad">
            <span className="font-mono text-xs">{error.code}</span> {error.message}
          </div>
        ) : null}
        {exec.status === "completed" || exec.result.output !== null ? (
          <ExecutionOutput output={exec.result.output} />
        ) : error ? null : (
          <p className="text-sm text-muted">The output shows here when it completes.</p>
        )}
      </Card>
    </div>
  );
}

/** "Run again": the same input and timeout, where it ran (its deployment, or a process on its host). */
export function RunAgain({ exec }: { exec: Execution }) {
  const router = useRouter();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  return (
    <span className="flex flex-col items-end gap-1">
      <Button
        variant="secondary"
        disabled={busy}
        onClick={async () => {
          setBusy(true);
          setError(null);
          try {
            const target =
              exec.host === "deployed"
                ? { kind: "execute" as const, environment: exec.environment ?? undefined, label: "" }
                : { kind: "run" as const, label: "" };
            router.push(`/executions/${await startRun(exec.agent_id, target, exec.input, exec.timeout_s)}`);
          } catch (err) {
            setError(err instanceof ApiClientError || err instanceof Error ? err.message : "Could not start");
            setBusy(false);
          }
        }}
      >
        {busy ? "Starting…" : "Run again"}
      </Button>
      {error ? (
        <span role="alert" className="text-xs text-bad">
          {error}
        </span>
      ) : null}
    </span>
  );
}

export function BackToAgent({ exec }: { exec: Execution }) {
  return (
    <Link href={`/agents/${exec.agent_id}`} className="text-sm text-accent hover:underline">
      ← Back to {exec.agent_name}
    </Link>
  );
}
