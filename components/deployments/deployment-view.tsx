"use client";

import Link from "next/link";
import { Card, SectionTitle } from "@/components/ui/card";
import { formatDateTime, needsSeconds } from "@/components/ui/format";
import { Timeline } from "@/components/ui/timeline";
import { useDeployment, useDeploymentEvents } from "@/lib/client/deploy-hooks";
import type { Deployment, DeploymentPhase } from "@/lib/client/types";
import { DeploymentActions } from "./deployment-actions";
import { DeployBadge, ProgressBar } from "./status";
import { TrafficBar } from "./traffic-bar";

const STRATEGY: Record<Deployment["strategy"], string> = {
  initial: "First deployment",
  blue_green: "Blue/green",
  rolling: "Rolling",
  canary: "Canary",
};

const DOT: Record<DeploymentPhase["status"], string> = {
  pending: "bg-subtle",
  running: "bg-accent animate-pulse",
  completed: "bg-ok",
  failed: "bg-bad",
};

/** When phases are seconds apart (they usually are), their times say the seconds. */
function phasesNeedSeconds(phases: DeploymentPhase[]): boolean {
  const times = phases.flatMap((p) => [p.started_at, p.completed_at]).filter((t): t is string => Boolean(t));
  return needsSeconds(times.sort());
}

/** A time, to the second with `seconds`. */
function When({ at, seconds }: { at: string; seconds: boolean }) {
  return <time dateTime={at}>{formatDateTime(at, seconds)}</time>;
}

function Phase({ phase, seconds }: { phase: DeploymentPhase; seconds: boolean }) {
  return (
    <li className="relative" data-testid={`phase-${phase.name}`} data-status={phase.status}>
      <span
        aria-hidden
        className={`absolute -left-[1.65rem] top-1 size-3 rounded-full border-2 border-card ${DOT[phase.status]}`}
      />
      <p className="text-sm font-medium capitalize">
        {phase.name.replace(/_/g, " ")} <span className="font-normal text-muted">· {phase.status}</span>
      </p>
      {phase.started_at ? (
        <p className="text-xs text-muted">
          <time dateTime={phase.started_at}>{formatDateTime(phase.started_at, seconds)}</time>
          {phase.completed_at ? (
            <>
              {" → "}
              <time dateTime={phase.completed_at}>{formatDateTime(phase.completed_at, seconds).slice(11)}</time>
            </>
          ) : null}
        </p>
      ) : null}
      {phase.logs.length ? (
        <pre className="mt-1 max-h-48 overflow-auto whitespace-pre-wrap rounded-md bg-subtle px-2 py-1.5 font-mono text-xs">
          {phase.logs.join("\n")}
        </pre>
      ) : null}
    </li>
  );
}

function Stat({ label, value }: { label: string; value: string }) {
  return (
    <div>
      <dt className="text-xs text-muted">{label}</dt>
      <dd className="font-semibold tabular-nums">{value}</dd>
    </div>
  );
}

/**
 * One deployment, live: it polls while the rollout runs (phases, traffic steps and health are written without an
 * event each) and refreshes on the deployment events of the page's live stream (its start and its end).
 */
export function DeploymentView({ initial }: { initial: Deployment }) {
  const { data } = useDeployment(initial.agent_id, initial.deployment_id, initial);
  useDeploymentEvents(initial.agent_id);
  const d = data ?? initial;
  const p = d.performance;
  // A deployment that ended within the minute it started says both to the second.
  const fast = needsSeconds(d.completed_at ? [d.created_at, d.completed_at] : []);
  return (
    <div className="space-y-6">
      <Card className="space-y-4">
        <div className="flex flex-wrap items-start justify-between gap-3">
          <div>
            <p className="text-xs uppercase tracking-wide text-muted">
              {d.environment} · {STRATEGY[d.strategy]} · {d.host} host
            </p>
            <h1 className="mt-1 flex flex-wrap items-center gap-2 text-2xl font-semibold tracking-tight">
              <span className="font-mono">{d.version}</span>
              <DeployBadge status={d.status} testId="deployment-status" />
            </h1>
            <p className="mt-1 text-sm text-muted" data-testid="deployment-times">
              {d.previous_version ? `Replacing ${d.previous_version}. ` : ""}Started{" "}
              <When at={d.created_at} seconds={fast} />
              {d.completed_at ? (
                <>
                  , ended <When at={d.completed_at} seconds={fast} />
                </>
              ) : null}
              .
            </p>
          </div>
          <DeploymentActions deployment={d} />
        </div>
        {d.reason ? (
          <p role="status" className="rounded-md bg-warn/10 px-3 py-2 text-sm">
            {d.reason}
          </p>
        ) : null}
        <div className="space-y-1">
          <div className="flex justify-between text-xs text-muted">
            <span className="capitalize">Now: {d.current_phase.replace(/_/g, " ")}</span>
            <span data-testid="progress">{d.progress}%</span>
          </div>
          <ProgressBar value={d.progress} label="Deployment progress" />
        </div>
        <div>
          <h2 className="mb-1 text-sm font-semibold">Traffic</h2>
          <TrafficBar traffic={d.traffic} />
        </div>
      </Card>

      <div className="grid gap-6 *:min-w-0 lg:grid-cols-5">
        <Card className="lg:col-span-3">
          <SectionTitle>Phases</SectionTitle>
          <Timeline label="Phases">
            {d.phases.map((ph) => (
              <Phase key={ph.name} phase={ph} seconds={phasesNeedSeconds(d.phases)} />
            ))}
          </Timeline>
        </Card>
        <div className="space-y-6 lg:col-span-2">
          <Card>
            <SectionTitle action={<DeployBadge status={d.health.overall_status} testId="health-status" />}>
              Health
            </SectionTitle>
            {d.health.checks.length === 0 ? (
              <p className="text-sm text-muted">No instance is running yet.</p>
            ) : (
              <ul className="space-y-2 text-sm">
                {d.health.checks.map((c) => (
                  <li key={c.name} className="flex flex-wrap items-center justify-between gap-2">
                    <span className="font-mono text-xs">{c.name}</span>
                    <span className="flex items-center gap-2">
                      <span className="text-xs text-muted" title={formatDateTime(c.last_check)}>
                        {c.message}
                      </span>
                      <DeployBadge status={c.status} />
                    </span>
                  </li>
                ))}
              </ul>
            )}
          </Card>
          <Card>
            <SectionTitle>Performance (last 5 min)</SectionTitle>
            <dl className="grid grid-cols-2 gap-3 text-sm sm:grid-cols-3">
              <Stat label="p95" value={`${Math.round(p.response_time_p95)} ms`} />
              <Stat label="Errors" value={`${(p.error_rate * 100).toFixed(1)}%`} />
              <Stat label="Throughput" value={`${p.throughput.toFixed(2)}/s`} />
              <Stat label="CPU" value={`${Math.round(p.cpu_utilization * 100)}%`} />
              <Stat label="Memory" value={`${Math.round(p.memory_utilization * 100)}%`} />
            </dl>
          </Card>
          <Link href={`/agents/${d.agent_id}/deployments`} className="text-sm text-accent hover:underline">
            ← All deployments and metrics
          </Link>
        </div>
      </div>
    </div>
  );
}
