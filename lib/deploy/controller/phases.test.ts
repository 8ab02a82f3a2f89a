import { describe, expect, it } from "vitest";
import { appendLogs, endPhase, nextPhase, pendingPhases, progressOf, startPhase } from "./phases";

describe("phases", () => {
  const at = new Date("2026-01-01T00:00:00Z");

  it("walks validate to complete, with progress that only grows and stops short of 100 until the end", () => {
    const order: string[] = [];
    for (let p: ReturnType<typeof nextPhase> = "validate"; p; p = nextPhase(p)) order.push(p);
    expect(order).toEqual(["validate", "package", "provision", "health_check", "shift_traffic", "observe", "complete"]);
    const progress = order.map((p) => progressOf(p as "validate"));
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
    expect(progressOf("observe", 0.5)).toBeGreaterThan(progressOf("observe"));
    expect(Math.max(...progress)).toBeLessThan(100);
  });

  it("starts, logs and ends a phase; a rollback phase is added when it first happens", () => {
    let phases = startPhase(pendingPhases(), "validate", at);
    phases = appendLogs(phases, "validate", at, ["checked"]);
    phases = endPhase(phases, "validate", at, "completed");
    expect(phases[0]).toEqual({
      name: "validate",
      status: "completed",
      started_at: at.toISOString(),
      completed_at: at.toISOString(),
      logs: [`${at.toISOString()} checked`],
    });
    phases = endPhase(appendLogs(phases, "rollback", at, ["why"]), "rollback", at, "completed");
    expect(phases.map((p) => p.name).at(-1)).toBe("rollback");
    expect(phases).toHaveLength(8);
  });
});
