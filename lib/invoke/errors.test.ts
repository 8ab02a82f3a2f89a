import { describe, expect, it } from "vitest";
import { InvocationError, errorBody, fromAgentFrame, fromUpstream, toInvocationError } from "./errors";

describe("error mapping", () => {
  it.each([
    [400, "ValidationException", "ValidationError", 400, false],
    [403, "InvalidSignatureException", "AuthenticationError", 401, false],
    [403, "UnrecognizedClientException", "AuthenticationError", 401, false],
    [403, "ExpiredTokenException", "AuthenticationError", 401, false],
    [403, "AccessDeniedException", "AuthorizationError", 403, false],
    [404, "ResourceNotFoundException", "NotFoundError", 404, false],
    [429, "ThrottlingException", "ServiceUnavailableError", 503, true],
    [503, "ServiceUnavailableException", "ServiceUnavailableError", 503, true],
    [500, "InternalServerException", "ServiceUnavailableError", 503, true],
    [424, "RuntimeClientError", "ServiceUnavailableError", 503, true],
    [504, undefined, "TimeoutError", 504, true],
  ] as const)("%i %s -> %s (%i, retryable %s)", (status, type, name, httpStatus, retryable) => {
    const err = fromUpstream(status, type);
    expect(err.name).toBe(name);
    expect(err.status).toBe(httpStatus);
    expect(err.retryable).toBe(retryable);
    expect(err.retryAfter === undefined).toBe(!retryable);
  });

  it("reads the type from an x-amzn-errortype value with a URL suffix or a namespace", () => {
    expect(fromUpstream(403, "InvalidSignatureException:http://internal.amazon.com/").name).toBe("AuthenticationError");
    expect(fromUpstream(400, "com.amazonaws.bedrockagentcore#ValidationException").name).toBe("ValidationError");
  });

  it("maps SDK exceptions, socket errors and aborts", () => {
    expect(toInvocationError({ name: "AccessDeniedException", $metadata: { httpStatusCode: 403 } }).status).toBe(403);
    expect(toInvocationError({ name: "ThrottlingException", $metadata: { httpStatusCode: 429 } }).status).toBe(503);
    expect(toInvocationError(Object.assign(new Error("x"), { code: "ECONNREFUSED" })).status).toBe(503);
    expect(toInvocationError(Object.assign(new Error("x"), { name: "AbortError" })).status).toBe(504);
    expect(toInvocationError({ name: "CredentialsProviderError" }).status).toBe(401);
    expect(toInvocationError(new Error("boom")).status).toBe(500);
    expect(toInvocationError("weird").status).toBe(500);
  });

  it("keeps no upstream detail in the message", () => {
    const raw = Object.assign(new Error("connect ECONNREFUSED 10.1.2.3:443 secret-host.internal"), {
      code: "ECONNREFUSED",
    });
    expect(toInvocationError(raw).message).not.toMatch(/10\.1\.2\.3|secret-host|ECONNREFUSED/);
    expect(fromUpstream(403, "InvalidSignatureException").message).not.toMatch(/signature we calculated/i);
  });

  it("uses the agent's own error name when it is one of ours", () => {
    expect(fromAgentFrame("ValidationError", "send text").status).toBe(400);
    expect(fromAgentFrame("AgentError", "oops").status).toBe(500);
    expect(fromAgentFrame("ValidationError", "send text").retryable).toBe(false);
  });

  it("formats the seed's error body", () => {
    expect(
      errorBody(new InvocationError("ServiceUnavailableError", "busy"), { agentId: "mwc", sessionId: "s" }),
    ).toEqual({
      error: "ServiceUnavailableError",
      message: "busy",
      details: { agentId: "mwc", sessionId: "s", retryable: true, retryAfter: 1 },
    });
    expect(errorBody(new InvocationError("NotFoundError", "nope"), { agentId: "x" })).toEqual({
      error: "NotFoundError",
      message: "nope",
      details: { agentId: "x", retryable: false },
    });
  });
});
