import { describe, expect, it } from "vitest";
import { buildRuntimeArn, encodeArnForUrl, isRuntimeArn, parseRuntimeArn, parseRuntimePath, runtimePath } from "./arn";
import { InvocationError } from "../errors";

const ARN = "arn:aws:bedrock-agentcore:us-east-1:123456789012:runtime/OnboardingAgent_Agent-Pgs8nUGuuS";

describe("parseRuntimeArn", () => {
  it("extracts region, account and runtime id, and the URL-encoded ARN", () => {
    expect(parseRuntimeArn(ARN)).toEqual({
      region: "us-east-1",
      accountId: "123456789012",
      runtimeId: "OnboardingAgent_Agent-Pgs8nUGuuS",
      encodedArn:
        "arn%3Aaws%3Abedrock-agentcore%3Aus-east-1%3A123456789012%3Aruntime%2FOnboardingAgent_Agent-Pgs8nUGuuS",
    });
  });

  it.each([
    ["another service", "arn:aws:bedrock:us-east-1:123456789012:runtime/Agent-1"],
    ["a short account", "arn:aws:bedrock-agentcore:us-east-1:12345:runtime/Agent-1"],
    ["no runtime/ prefix", "arn:aws:bedrock-agentcore:us-east-1:123456789012:agent/Agent-1"],
    ["an empty id", "arn:aws:bedrock-agentcore:us-east-1:123456789012:runtime/"],
    ["a path in the id", "arn:aws:bedrock-agentcore:us-east-1:123456789012:runtime/a/b"],
    ["a bare agent id (the old SDK's mistake)", "OnboardingAgent_Agent-Pgs8nUGuuS"],
    ["an empty string", ""],
  ])("refuses %s with a 400 ValidationError", (_what, arn) => {
    expect(isRuntimeArn(arn)).toBe(false);
    try {
      parseRuntimeArn(arn);
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(InvocationError);
      expect((err as InvocationError).status).toBe(400);
      expect((err as InvocationError).name).toBe("ValidationError");
    }
  });

  it("round-trips through buildRuntimeArn", () => {
    expect(buildRuntimeArn(parseRuntimeArn(ARN))).toBe(ARN);
  });
});

describe("data-plane paths", () => {
  it("puts the whole ARN in one escaped path segment", () => {
    expect(runtimePath(ARN, "ws")).toBe(`/runtimes/${encodeArnForUrl(ARN)}/ws`);
    expect(runtimePath(ARN, "invocations").split("/")).toHaveLength(4);
  });

  it("reads the ARN and action back from a request path", () => {
    expect(parseRuntimePath(runtimePath(ARN, "invocations"))).toEqual({ arn: ARN, action: "invocations" });
    expect(parseRuntimePath("/runtimes/x")).toBeNull();
    expect(parseRuntimePath("/runtimes/%E0%A4%A/ws")).toBeNull();
  });
});
