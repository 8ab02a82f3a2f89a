import type { DeploymentPhase } from "@/db/schema/deployments";
import { PHASES, type PhaseName } from "../types";

/**
 * The phase list of a deployment (deployments.phases) as pure edits: each returns a new list. Every line logged
 * carries its time, so the owner reads what happened when.
 */

export function pendingPhases(): DeploymentPhase[] {
  return PHASES.map((name) => ({ name, status: "pending", started_at: null, completed_at: null, logs: [] }));
}

function edit(
  phases: DeploymentPhase[],
  name: PhaseName,
  fn: (p: DeploymentPhase) => DeploymentPhase,
): DeploymentPhase[] {
  const has = phases.some((p) => p.name === name);
  const list = has
    ? phases
    : [...phases, { name, status: "pending" as const, started_at: null, completed_at: null, logs: [] }];
  return list.map((p) => (p.name === name ? fn(p) : p));
}

export function logLine(now: Date, line: string): string {
  return `${now.toISOString()} ${line}`;
}

export function startPhase(phases: DeploymentPhase[], name: PhaseName, now: Date): DeploymentPhase[] {
  return edit(phases, name, (p) =>
    p.status === "running" ? p : { ...p, status: "running", started_at: p.started_at ?? now.toISOString() },
  );
}

export function appendLogs(phases: DeploymentPhase[], name: PhaseName, now: Date, lines: string[]): DeploymentPhase[] {
  if (lines.length === 0) return phases;
  return edit(phases, name, (p) => ({ ...p, logs: [...p.logs, ...lines.map((l) => logLine(now, l))] }));
}

export function endPhase(
  phases: DeploymentPhase[],
  name: PhaseName,
  now: Date,
  status: "completed" | "failed",
): DeploymentPhase[] {
  return edit(phases, name, (p) => ({
    ...p,
    status,
    started_at: p.started_at ?? now.toISOString(),
    completed_at: now.toISOString(),
  }));
}

/** The phase after `name`, or null after the last. */
export function nextPhase(name: PhaseName): PhaseName | null {
  const i = PHASES.indexOf(name as (typeof PHASES)[number]);
  return i >= 0 && i < PHASES.length - 1 ? (PHASES[i + 1] ?? null) : null;
}

/** 0-100: the phases done so far, plus how far into the current one (0-1). */
export function progressOf(name: PhaseName, fraction = 0): number {
  const i = PHASES.indexOf(name as (typeof PHASES)[number]);
  if (i < 0) return 100;
  return Math.min(99, Math.round(((i + Math.max(0, Math.min(1, fraction))) / (PHASES.length - 1)) * 100));
}
