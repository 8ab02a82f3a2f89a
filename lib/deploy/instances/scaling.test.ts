import { describe, expect, it } from "vitest";
import { scaleStep } from "./scaling";

const auto = { enabled: true, min_instances: 1, max_instances: 4, target_utilization: 0.5 };

describe("scaleStep", () => {
  it("scales up at once to what the peak needs at the target utilization, never past max", () => {
    expect(scaleStep(1, 3, 2, auto)).toEqual({
      action: "scale_up",
      to: 3,
      reason: "utilization 150% above target 50%",
    });
    expect(scaleStep(1, 40, 2, auto)).toMatchObject({ action: "scale_up", to: 4 });
  });

  it("scales down one instance per check, never below min", () => {
    expect(scaleStep(4, 0, 2, auto)).toEqual({
      action: "scale_down",
      to: 3,
      reason: "utilization 0% below target 50%",
    });
    expect(scaleStep(1, 0, 2, auto)).toBeNull();
  });

  it("holds when the count is right, and brings a count outside min..max back inside even when disabled", () => {
    expect(scaleStep(2, 2, 2, auto)).toBeNull();
    expect(scaleStep(0, 0, 2, { ...auto, enabled: false })).toMatchObject({ action: "scale_up", to: 1 });
    expect(scaleStep(6, 0, 2, { ...auto, enabled: false })).toMatchObject({ action: "scale_down", to: 4 });
    expect(scaleStep(3, 40, 2, { ...auto, enabled: false })).toBeNull();
  });
});
