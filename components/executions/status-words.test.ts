import { describe, expect, it } from "vitest";
import { formatMs, statusWords } from "./status-words";

const base = {
  result: { output: null, error: null, metadata: {} },
  stopped_reason: null,
  timeout_s: 30,
  exit_code: null,
};
const words = (over: Record<string, unknown>) =>
  statusWords({ ...base, ...over } as Parameters<typeof statusWords>[0]).words;

describe("statusWords", () => {
  it("says what happened, with the reason of a failure", () => {
    expect(words({ status: "completed" })).toBe("Completed");
    expect(words({ status: "timeout" })).toBe("Timed out after 30 s");
    expect(
      words({
        status: "failed",
        result: { ...base.result, error: { code: "InputError", message: "text is required", details: {} } },
      }),
    ).toBe("Failed: text is required");
    expect(words({ status: "failed", exit_code: 3 })).toBe("Failed: exit code 3");
    expect(words({ status: "failed" })).toBe("Failed");
    expect(words({ status: "stopped", stopped_reason: "Stopped by the owner" })).toBe("Stopped: Stopped by the owner");
  });
});

describe("formatMs", () => {
  it("picks a unit a person reads at a glance", () => {
    expect(formatMs(null)).toBe("—");
    expect(formatMs(850.4)).toBe("850 ms");
    expect(formatMs(1234)).toBe("1.2 s");
    expect(formatMs(184_000)).toBe("3m 4s");
  });
});
