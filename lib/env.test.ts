import { afterEach, describe, expect, it } from "vitest";
import { setTestEnv } from "@/test/fixtures/runtime";
import { passthroughEnv } from "./env";

describe("passthroughEnv", () => {
  afterEach(() => setTestEnv({ LOCAL_AGENT_ENV_PASSTHROUGH: undefined, PT_ONE: undefined, PT_TWO: undefined }));

  it("passes on the named variables that are set, and nothing else of the app's environment", () => {
    setTestEnv({ LOCAL_AGENT_ENV_PASSTHROUGH: " PT_ONE, PT_MISSING,,PT_TWO ", PT_ONE: "1", PT_TWO: "two" });
    expect(passthroughEnv()).toEqual({ PT_ONE: "1", PT_TWO: "two" });
  });
});
