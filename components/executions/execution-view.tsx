"use client";

import { Timeline, TimelineStep } from "@/components/ui/timeline";
import Link from "next/link";
import { useQueryClient } from "@tanstack/react-query";
import { useEffect, useRef, useState } from "react";
import { StatusBadge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, SectionTitle } from "@/components/ui/card";
import { formatDuration, needsSeconds } from "@/components/ui/format";
import { useExecution, useStopExecution } from "@/lib/client/hooks";
import { qk } from "@/lib/client/keys";
import type { Execution, ExecutionStatus } from "@/lib/client/runtime-types";
import { useSse } from "@/lib/client/sse";
import { BackToAgent, ExecutionIO, ExecutionSummary, RunAgain } from "./execution-details";

const TERMINAL: ExecutionStatus[] = ["completed", "failed", "stopped", "timeout"];
const MAX_LINES = 5000;

interface LogLine {
  id: string;
  stream: string;
  line: string;
}

/**
 * Run and watch: the execution's SSE stream carries status changes and log lines. After a dropped connection
 * useSse reconnects with Last-Event-ID, so the server replays exactly the lines after the last one shown.
 */
export function ExecutionView({ initial }: { initial: Execution }) {
  const qc = useQueryClient();
  const { data } = useExecution(initial.execution_id);
  const exec = data ?? initial;
  const stop = useStopExecution(exec.execution_id);
  const [lines, setLines] = useState<LogLine[]>([]);
  const [seen] = useState(() => new Set<string>());
  const [transitions, setTransitions] = useState<{ status: ExecutionStatus; at: string }[]>([
    // A deployed execution is queued first; a process run starts at once.
    { status: initial.host === "deployed" ? "queued" : "starting", at: initial.start_time },
  ]);
  const terminal = TERMINAL.includes(exec.status);
  const terminalRef = useRef(terminal);
  useEffect(() => {
    terminalRef.current = terminal;
  }, [terminal]);

  const streamStatus = useSse(
    `/api/executions/${exec.execution_id}/events`,
    (frame) => {
      let d: Record<string, unknown>;
      try {
        d = JSON.parse(frame.data) as Record<string, unknown>;
      } catch {
        return;
      }
      // Log frames carry a line; status frames carry the execution (or its status).
      const payload = (d.data && typeof d.data === "object" ? d.data : d) as Record<string, unknown>;
      if (typeof payload.line === "string") {
        const id = frame.id ?? `${Date.now()}-${Math.random()}`;
        if (seen.has(id)) return;
        seen.add(id);
        const line = { id, stream: String(payload.stream ?? "stdout"), line: payload.line };
        setLines((l) => (l.length >= MAX_LINES ? [...l.slice(-MAX_LINES + 1), line] : [...l, line]));
        return;
      }
      const status = payload.status as ExecutionStatus | undefined;
      if (status) {
        const at = typeof d.created_at === "string" ? d.created_at : new Date().toISOString();
        setTransitions((t) => (t.some((x) => x.status === status) ? t : [...t, { status, at }]));
        qc.setQueryData<Execution>(qk.execution(exec.execution_id), (old) => ({
          ...(old ?? exec),
          ...(payload as Partial<Execution>),
        }));
        void qc.invalidateQueries({ queryKey: qk.execution(exec.execution_id) });
      }
    },
    { reconnectOnEnd: () => !terminalRef.current },
  );

  return (
    <div className="space-y-6">
      <BackToAgent exec={exec} />
      <Card>
        <div className="flex flex-wrap items-start justify-between gap-3">
          <div>
            <p className="text-sm text-muted">
              Execution of{" "}
              <Link href={`/agents/${exec.agent_id}`} className="hover:underline">
                {exec.agent_name}
              </Link>{" "}
              {exec.host === "deployed" ? "through its deployment" : `on ${exec.host}`}
            </p>
            <h1 className="mt-1 font-mono text-lg">{exec.execution_id}</h1>
          </div>
          <div className="flex items-center gap-3">
            <span data-testid="execution-status">
              <StatusBadge status={exec.status} />
            </span>
            {!terminal ? (
              <Button variant="danger" onClick={() => stop.mutate()} disabled={stop.isPending}>
                {stop.isPending ? "Stopping…" : "Stop"}
              </Button>
            ) : (
              <RunAgain exec={exec} />
            )}
          </div>
        </div>
        {stop.isError ? (
          <p role="alert" className="mt-2 text-sm text-bad">
            {stop.error.message}
          </p>
        ) : null}
        <ExecutionSummary exec={exec} />
        <dl className="mt-4 grid gap-3 text-sm sm:grid-cols-4">
          <div>
            <dt className="text-xs text-muted">Elapsed</dt>
            <dd data-testid="elapsed">
              <Elapsed from={exec.start_time} to={exec.end_time} />
            </dd>
          </div>
          {exec.host === "deployed" ? null : (
            <div className="sm:col-span-2">
              <dt className="text-xs text-muted">Endpoint</dt>
              <dd className="truncate font-mono text-xs" data-testid="endpoint">
                {exec.endpoint ?? (exec.status === "starting" ? "waiting for the agent to listen…" : "—")}
              </dd>
            </div>
          )}
          <div>
            <dt className="text-xs text-muted">Timeout</dt>
            <dd>{exec.timeout_s}s</dd>
          </div>
          {exec.exit_code !== null || exec.stop_code ? (
            <div className="sm:col-span-4">
              <dt className="text-xs text-muted">Process</dt>
              <dd>
                {exec.exit_code !== null ? `exit code ${exec.exit_code}` : ""} {exec.stop_code ?? ""}
              </dd>
            </div>
          ) : null}
        </dl>
      </Card>
      <ExecutionIO exec={exec} />
      <div className="grid gap-6 *:min-w-0 lg:grid-cols-4">
        <Card>
          <SectionTitle>Status</SectionTitle>
          <StatusTimeline steps={mergeTimeline(transitions, exec)} />
        </Card>
        <Card className="lg:col-span-3">
          <SectionTitle action={<span className="text-xs text-muted">stream: {streamStatus}</span>}>Log</SectionTitle>
          <LogPane lines={lines} live={!terminal} />
        </Card>
      </div>
    </div>
  );
}

/** The run's states in time; to the second when any two are in the same minute (a run's usually are). */
function StatusTimeline({ steps }: { steps: { status: ExecutionStatus; at: string }[] }) {
  const seconds = needsSeconds(steps.map((t) => t.at).sort());
  return (
    <Timeline label="Status timeline">
      {steps.map((t) => (
        <TimelineStep
          key={t.status}
          title={t.status === "timeout" ? "timed out" : t.status}
          at={t.at}
          bad={t.status === "failed" || t.status === "timeout"}
          capitalize
          seconds={seconds}
        />
      ))}
    </Timeline>
  );
}

function mergeTimeline(t: { status: ExecutionStatus; at: string }[], exec: Execution) {
  const list = [...t];
  if (!list.some((x) => x.status === exec.status)) {
    // The record's own times, never the clock: the server's render and the browser's must agree (hydration).
    list.push({ status: exec.status, at: exec.end_time ?? exec.started_at ?? exec.start_time });
  }
  if (exec.end_time) {
    const last = list.find((x) => x.status === exec.status);
    if (last && TERMINAL.includes(last.status)) last.at = exec.end_time;
  }
  return list;
}

/**
 * Time since `from`, ticking until `to`. The clock is read only after mount: the server's render (and the
 * browser's first, which must match it) show a placeholder instead of a "now" that differs between the two.
 */
function Elapsed({ from, to }: { from: string; to: string | null }) {
  const [now, setNow] = useState<number | null>(null);
  useEffect(() => {
    if (to) return;
    const tick = () => setNow(Date.now());
    const first = setTimeout(tick, 0);
    const t = setInterval(tick, 1000);
    return () => {
      clearTimeout(first);
      clearInterval(t);
    };
  }, [to]);
  if (!to && now === null) return <>…</>;
  return <>{formatDuration((to ? new Date(to).getTime() : (now as number)) - new Date(from).getTime())}</>;
}

function LogPane({ lines, live }: { lines: LogLine[]; live: boolean }) {
  const box = useRef<HTMLPreElement>(null);
  const [follow, setFollow] = useState(true);
  useEffect(() => {
    if (follow && box.current) box.current.scrollTop = box.current.scrollHeight;
  }, [lines, follow]);
  return (
    <pre
      ref={box}
      tabIndex={0}
      aria-label="Execution log"
      data-testid="log"
      onScroll={(e) => {
        const el = e.currentTarget;
        setFollow(el.scrollHeight - el.scrollTop - el.clientHeight < 40);
      }}
      className="h-96 overflow-auto whitespace-pre-wrap break-all rounded-lg bg-[#0b0c10] p-3 font-mono text-xs leading-5 text-[#d6d8e0]"
    >
      {lines.length === 0 ? (
        <span className="text-[#8b8fa3]">{live ? "Waiting for output…" : "No output."}</span>
      ) : (
        lines.map((l) => (
          <div
            key={l.id}
            className={l.stream === "stderr" ? "text-[#ff8a8a]" : l.stream === "system" ? "text-[#8fb3ff]" : ""}
          >
            {l.line}
          </div>
        ))
      )}
    </pre>
  );
}
