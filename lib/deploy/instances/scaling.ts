import type { AutoScaling } from "../types";

export interface ScaleStep {
  action: "scale_up" | "scale_down";
  to: number;
  reason: string;
}

/**
 * Where a version's instance count should go: toward the count that would run `peak` calls at
 * `target_utilization` of each instance's `concurrent_executions`, within min and max. Up at once (load is
 * waiting), down one instance per check (a dip is not yet a trend). Null when the count is right.
 */
export function scaleStep(current: number, peak: number, concurrent: number, a: AutoScaling): ScaleStep | null {
  const min = Math.max(0, a.min_instances);
  const max = Math.max(min, a.max_instances);
  if (current < min) return { action: "scale_up", to: min, reason: `below min_instances (${min})` };
  if (current > max) return { action: "scale_down", to: max, reason: `above max_instances (${max})` };
  if (!a.enabled || current === 0) return null;
  const utilization = peak / (current * concurrent);
  const wanted = Math.min(max, Math.max(min, Math.ceil(peak / (concurrent * a.target_utilization))));
  const pct = (n: number) => `${Math.round(n * 100)}%`;
  if (wanted > current) {
    return {
      action: "scale_up",
      to: wanted,
      reason: `utilization ${pct(utilization)} above target ${pct(a.target_utilization)}`,
    };
  }
  if (wanted < current) {
    return {
      action: "scale_down",
      to: current - 1,
      reason: `utilization ${pct(utilization)} below target ${pct(a.target_utilization)}`,
    };
  }
  return null;
}
