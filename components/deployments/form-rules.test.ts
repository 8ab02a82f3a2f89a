import { describe, expect, it } from "vitest";
import { agentCodeSchema, monitoringSchema, versionStringSchema } from "@/lib/api/contracts/deploy-settings";
import { checkValue } from "@/lib/client/form-errors";
import { expectLimits, shape } from "@/test/zod-limits";
import { DEPLOY_RULES } from "./form-rules";

describe("the deploy form's rules", () => {
  it("have the contract's limits", () => {
    const configuration = shape(shape(agentCodeSchema).configuration!);
    for (const name of ["memory_limit", "timeout", "concurrent_executions"])
      expectLimits(DEPLOY_RULES[name]!, configuration[name]!);
    expectLimits(DEPLOY_RULES.health_interval!, shape(shape(monitoringSchema).health_check!).interval!);
    expectLimits(DEPLOY_RULES.version!, versionStringSchema);
  });

  it("say numbers, ranges and paths in words", () => {
    expect(checkValue(DEPLOY_RULES.memory_limit!, "lots")).toBe("Enter a number");
    expect(checkValue(DEPLOY_RULES.memory_limit!, "64.5")).toBe("Enter a whole number");
    expect(checkValue(DEPLOY_RULES.timeout!, "0")).toBe("Timeout (s) must be between 1 and 900");
    expect(checkValue(DEPLOY_RULES.traffic_percentage!, "12.5")).toBeNull();
    expect(checkValue(DEPLOY_RULES.health_path!, "health")).toBe("Health path must start with /, like /health");
    expect(checkValue(DEPLOY_RULES.version!, "")).toBe("Version is required");
  });
});
