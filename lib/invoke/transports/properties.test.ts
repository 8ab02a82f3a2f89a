import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { invokeApiError } from "@/lib/invoke/errors";
import { FAULTY_ARN, MARKDOWN_ARN, markdownPrompt, setupAgentCore, TEXT_STATS_ARN } from "@/test/fixtures/agentcore";
import { buildRuntimeArn, parseRuntimeArn, parseRuntimePath, runtimePath } from "./arn";
import type { AgentCoreClient } from "./client";
import { AnswerCollector } from "./collector";
import { InvocationError, fromUpstream, STATUS_OF, toInvocationError } from "../errors";
import { dataPlaneEndpoint, presignWebSocketUrl } from "./presign";
import { SseParser } from "@/lib/events/sse-parse";
import { formatChunkFrame } from "@/test/doubles/agentcore/protocol";
import { agentFrames, parseAgentMessage } from "./agent-frames";
import { generateSessionId, isValidSessionId } from "./session-id";

// The ten correctness properties of the AgentCore client (README.md, Tests), each run at least 100 times. Properties 4, 8 and 10 drive the real
// client against the local AgentCore endpoint (one instance for the file, small prompts); property 9 needs the
// route and the database and lives in app/api/agents/invoke/properties.db.test.ts.
const RUNS = { numRuns: 100 };

const region = fc.constantFrom("us-east-1", "us-west-2", "eu-west-1", "ap-southeast-2", "eu-central-1");
const accountId = fc.stringMatching(/^\d{12}$/);
const runtimeId = fc.stringMatching(/^[A-Za-z0-9_-]{1,100}$/);
const arnArb = fc.record({ region, accountId, runtimeId }).map(buildRuntimeArn);
const sessionIdArb = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9._:-]{32,80}$/);
const credentialsArb = fc.record(
  {
    accessKeyId: fc.stringMatching(/^AKIA[A-Z0-9]{16}$/),
    secretAccessKey: fc.string({ minLength: 20, maxLength: 40 }),
    sessionToken: fc.string({ minLength: 1, maxLength: 60 }),
  },
  { requiredKeys: ["accessKeyId", "secretAccessKey"] },
);
const dateArb = fc.date({
  min: new Date("2020-01-01T00:00:00Z"),
  max: new Date("2035-01-01T00:00:00Z"),
  noInvalidDate: true,
});

describe("Feature: backend-agentcore-integration", () => {
  it("Feature: backend-agentcore-integration, Property 1: WebSocket URL Generation Consistency - for any valid runtime ARN and session ID, signing twice with the same credentials and timestamp gives identical URLs", async () => {
    await fc.assert(
      fc.asyncProperty(arnArb, sessionIdArb, credentialsArb, dateArb, async (arn, sessionId, credentials, date) => {
        const { region: r } = parseRuntimeArn(arn);
        const input = {
          endpoint: dataPlaneEndpoint(r),
          runtimeArn: arn,
          sessionId,
          region: r,
          credentials,
          signingDate: date,
        };
        const a = await presignWebSocketUrl(input);
        const b = await presignWebSocketUrl({ ...input, credentials: { ...credentials }, signingDate: new Date(date) });
        expect(a).toBe(b);
        expect(new URL(a).searchParams.get("X-Amzn-Bedrock-AgentCore-Runtime-Session-Id")).toBe(sessionId);
      }),
      RUNS,
    );
  });

  it("Feature: backend-agentcore-integration, Property 2: ARN Parsing Round-Trip - parsing an ARN and rebuilding it (and its URL path) preserves the original ARN", () => {
    fc.assert(
      fc.property(arnArb, (arn) => {
        const parts = parseRuntimeArn(arn);
        expect(buildRuntimeArn(parts)).toBe(arn);
        expect(decodeURIComponent(parts.encodedArn)).toBe(arn);
        expect(parts.encodedArn).not.toMatch(/[:/]/);
        expect(parseRuntimePath(runtimePath(arn, "ws"))).toEqual({ arn, action: "ws" });
        expect(parseRuntimePath(runtimePath(arn, "invocations"))).toEqual({ arn, action: "invocations" });
      }),
      RUNS,
    );
  });

  it("Feature: backend-agentcore-integration, Property 3: Session ID Uniqueness - consecutive generated session IDs are distinct", () => {
    fc.assert(
      fc.property(fc.nat(1000), (iterations) => {
        const ids = new Set<string>();
        for (let i = 0; i < iterations; i++) {
          const id = generateSessionId();
          if (ids.has(id) || !isValidSessionId(id)) return false;
          ids.add(id);
        }
        return ids.size === iterations;
      }),
      RUNS,
    );
  });

  it("Feature: backend-agentcore-integration, Property 5: Error Response Structure - every error condition gives an error code, a message and the right HTTP status", () => {
    const awsTypes = fc.constantFrom(
      undefined,
      "ValidationException",
      "AccessDeniedException",
      "ResourceNotFoundException",
      "ThrottlingException",
      "ServiceQuotaExceededException",
      "InternalServerException",
      "RuntimeClientError",
      "InvalidSignatureException",
      "UnrecognizedClientException",
      "ExpiredTokenException",
    );
    const condition = fc.oneof(
      fc
        .record({ status: fc.integer({ min: 400, max: 599 }), type: awsTypes })
        .map(({ status, type }) => fromUpstream(status, type)),
      fc
        .constantFrom("ECONNREFUSED", "ECONNRESET", "ENOTFOUND", "ETIMEDOUT", "EPIPE", "EWEIRD")
        .map((code) => toInvocationError(Object.assign(new Error(`connect ${code} 10.0.0.1`), { code }))),
      fc.string().map((arn) => {
        try {
          parseRuntimeArn(`x${arn}`);
          return new InvocationError("InternalError", "unreachable");
        } catch (e) {
          return e as InvocationError;
        }
      }),
      fc.anything().map((thing) => toInvocationError(thing)),
    );
    fc.assert(
      fc.property(condition, fc.string({ maxLength: 20 }), sessionIdArb, (err, agentId, sessionId) => {
        const api = invokeApiError(err, { agentId, sessionId });
        const body = api.toBody();
        expect(Object.keys(STATUS_OF)).toContain(body.error);
        expect(api.status).toBe(STATUS_OF[err.name]);
        expect([400, 401, 403, 404, 500, 503, 504]).toContain(api.status);
        expect(typeof body.message).toBe("string");
        expect(body.message.length).toBeGreaterThan(0);
        expect(body.message).not.toMatch(/10\.0\.0\.1|ECONN|stack|at .*\(/);
        expect(body.details).toMatchObject({ agentId, sessionId, retryable: err.retryable });
        expect(body.details!.retryAfter === undefined).toBe(!err.retryable);
        expect(err.retryable).toBe(api.status === 503 || api.status === 504);
        if (err.retryable) expect(api.headers?.["Retry-After"]).toBe(String(body.details!.retryAfter));
      }),
      RUNS,
    );
  });

  it("Feature: backend-agentcore-integration, Property 6: SSE Message Parsing Idempotence - parsing a valid SSE message again yields the same content", () => {
    fc.assert(
      fc.property(fc.array(fc.string({ unit: "grapheme" }), { maxLength: 6 }), fc.string(), (chunks, junk) => {
        const message = chunks.map(formatChunkFrame).join("");
        const once = parseAgentMessage(message);
        expect(parseAgentMessage(message)).toEqual(once);
        expect(once).toEqual(chunks.map((text) => ({ type: "chunk", text })));
        expect(parseAgentMessage(junk)).toEqual(parseAgentMessage(junk));
      }),
      RUNS,
    );
  });

  it("Feature: backend-agentcore-integration, Property 7: Response Concatenation Order - concatenating streamed chunks in arrival order reproduces the message, however the bytes are split", () => {
    fc.assert(
      fc.property(
        fc.array(fc.string({ unit: "grapheme", maxLength: 30 }), { minLength: 1, maxLength: 12 }),
        fc.array(fc.nat(), { maxLength: 8 }),
        (chunks, cutSeeds) => {
          const bytes = new TextEncoder().encode(`${chunks.map(formatChunkFrame).join("")}data: [DONE]\n\n`);
          const cuts = [...new Set(cutSeeds.map((n) => n % bytes.length))].sort((a, b) => a - b);
          const seen: string[] = [];
          const collector = new AnswerCollector(0, (t) => seen.push(t));
          const parser = new SseParser();
          let from = 0;
          for (const cut of [...cuts, bytes.length]) {
            collector.push(agentFrames(parser.push(bytes.slice(from, cut))));
            from = cut;
          }
          expect(collector.finished).toBe(true);
          const out = collector.complete();
          expect(seen).toEqual(chunks);
          expect(out.text).toBe(chunks.join(""));
          expect(out.chunks).toBe(chunks.length);
        },
      ),
      RUNS,
    );
  });
});

describe("Feature: backend-agentcore-integration (against the local AgentCore endpoint)", () => {
  const agentcore = setupAgentCore();
  let client: AgentCoreClient;
  let impatient: AgentCoreClient;

  beforeAll(async () => {
    client = agentcore.client();
    // Only for the timeout scenario: a short idle timeout keeps each timed-out attempt cheap.
    impatient = agentcore.client({ idleTimeoutMs: 100, timeoutMs: 5_000 });
    // Warm both agent processes so that the first runs are not dominated by start-up.
    await agentcore.warm(MARKDOWN_ARN, TEXT_STATS_ARN);
  });

  it("Feature: backend-agentcore-integration, Property 4: Session ID Preservation - an invocation with a session ID answers with that same session ID", async () => {
    const slow = agentcore.client();
    await fc.assert(
      fc.asyncProperty(
        sessionIdArb,
        fc.constantFrom("ws", "http") as fc.Arbitrary<"ws" | "http">,
        async (sid, transport) => {
          const r = await slow.invokeAgent(TEXT_STATS_ARN, "keep my session", sid, { transport });
          expect(r.sessionId).toBe(sid);
          expect(agentcore.server.sessions.get(sid)?.arn).toBe(TEXT_STATS_ARN);
        },
      ),
      RUNS,
    );
    slow.destroy();
  });

  it("Feature: backend-agentcore-integration, Property 8: WebSocket Connection Cleanup - after any invocation, successful or failed, its WebSocket is closed", async () => {
    type Scenario = "ok" | "unavailable" | "unavailable-once" | "drop" | "timeout" | "bad-signature" | "agent-error";
    const scenario = fc.constantFrom<Scenario>(
      "ok",
      "unavailable",
      "unavailable-once",
      "drop",
      "timeout",
      "bad-signature",
      "agent-error",
    );
    const bad = agentcore.client({}, { ...agentcore.credentials, secretAccessKey: "not-the-secret" });
    const withinTwoSeconds = (p: Promise<void>, what: string) =>
      Promise.race([
        p,
        new Promise<void>((_, reject) => setTimeout(() => reject(new Error(`${what} still open`)), 2000)),
      ]);
    await fc.assert(
      fc.asyncProperty(scenario, fc.integer({ min: 1, max: 3 }), async (s, k) => {
        agentcore.server.clearFaults();
        if (s === "unavailable") agentcore.server.setFault({ kind: "unavailable", count: Infinity, arn: FAULTY_ARN });
        if (s === "unavailable-once") agentcore.server.setFault({ kind: "unavailable", count: 1, arn: FAULTY_ARN });
        if (s === "drop") agentcore.server.setFault({ kind: "drop", afterChunks: k, count: 1, arn: FAULTY_ARN });
        if (s === "timeout") agentcore.server.setFault({ kind: "timeout", count: 1, arn: FAULTY_ARN });
        const c = s === "bad-signature" ? bad : s === "timeout" ? impatient : client;
        const arn = s === "agent-error" ? TEXT_STATS_ARN : FAULTY_ARN;
        const prompt = s === "agent-error" ? "   " : markdownPrompt("cleanup", 4);
        const outcome = await c.invokeAgent(arn, prompt).then(
          (r) => (r.incomplete ? "incomplete" : "ok"),
          (e: InvocationError) => e.name,
        );
        const expected: Record<Scenario, string> = {
          ok: "ok",
          unavailable: "ServiceUnavailableError",
          "unavailable-once": "ok",
          drop: k < 4 ? "incomplete" : "ok",
          timeout: "ok", // the one timed-out attempt is retried
          "bad-signature": "AuthenticationError",
          "agent-error": "ValidationError",
        };
        // A retried timeout may time out again on a loaded machine; what matters here is the cleanup.
        if (s === "timeout") expect(["ok", "TimeoutError"]).toContain(outcome);
        else expect(outcome).toBe(expected[s]);
        await withinTwoSeconds(c.whenIdle(), "a client socket");
        expect(c.sockets.openSockets).toBe(0);
        await withinTwoSeconds(agentcore.server.waitIdle(), "a server connection");
      }),
      RUNS,
    );
    agentcore.server.clearFaults();
    bad.destroy();
  });

  it("Feature: backend-agentcore-integration, Property 10: Concurrent Invocation Independence - concurrent invocations on different sessions do not interfere and stay with their sessions", async () => {
    const steady = agentcore.client();
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(fc.stringMatching(/^[a-z]{6,10}$/), { minLength: 2, maxLength: 4 }),
        fc.constantFrom("ws", "http") as fc.Arbitrary<"ws" | "http">,
        async (tokens, transport) => {
          const sids = tokens.map(() => generateSessionId());
          const results = await Promise.all(
            tokens.map((t, i) => steady.invokeAgent(MARKDOWN_ARN, markdownPrompt(`q${t}q`, 2), sids[i], { transport })),
          );
          results.forEach((r, i) => {
            expect(r.sessionId).toBe(sids[i]);
            expect(r.response).toBe(`<p>paragraph 0 of q${tokens[i]}q</p>\n<p>paragraph 1 of q${tokens[i]}q</p>\n`);
          });
        },
      ),
      RUNS,
    );
    steady.destroy();
  });
});
