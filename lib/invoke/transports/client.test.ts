import net from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { FAULTY_ARN, MARKDOWN_ARN, markdownPrompt, setupAgentCore, TEXT_STATS_ARN } from "@/test/fixtures/agentcore";
import type { Transport } from "./client";
import { InvocationError } from "../errors";
import { generateSessionId } from "./session-id";

// Integration: the real client (presigned WebSocket, and the AWS SDK over HTTP) against the local AgentCore
// endpoint, which verifies SigV4 and relays to the real demo agents (agents/markdown, agents/text-stats).
const agentcore = setupAgentCore();
const client = agentcore.client;
afterEach(async () => {
  agentcore.server.clearFaults();
  // Property 8 in the small: whatever happened, no socket stays open on either side.
  await agentcore.idle();
});

function recordingSleep() {
  const waits: number[] = [];
  return { waits, sleep: async (ms: number) => void waits.push(ms) };
}

async function failure(p: Promise<unknown>): Promise<InvocationError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(InvocationError);
  return err as InvocationError;
}

describe.each<Transport>(["ws", "http"])("over %s", (transport) => {
  it("returns the full answer, its chunks in order as they arrived", async () => {
    const c = client();
    const seen: string[] = [];
    const r = await c.invokeAgent(MARKDOWN_ARN, markdownPrompt("zebra", 4), undefined, {
      transport,
      onChunk: (text, i) => {
        expect(i).toBe(seen.length);
        seen.push(text);
      },
    });
    expect(r.metadata.chunks).toBe(4);
    expect(seen).toHaveLength(4);
    expect(r.response).toBe(seen.join(""));
    expect(r.response).toBe(
      "<p>paragraph 0 of zebra</p>\n<p>paragraph 1 of zebra</p>\n<p>paragraph 2 of zebra</p>\n<p>paragraph 3 of zebra</p>\n",
    );
    expect(r.incomplete).toBeUndefined();
    expect(r.sessionId.length).toBeGreaterThanOrEqual(33);
    expect(r.metadata).toMatchObject({ attempts: 1, transport });
    expect(r.metadata.firstChunkMs).not.toBeNull();
    expect(r.metadata.firstChunkMs!).toBeLessThanOrEqual(r.metadata.duration);
  });

  it("continues a session over several invocations (the agent counts them)", async () => {
    const c = client();
    const sid = generateSessionId();
    for (let n = 1; n <= 3; n++) {
      const r = await c.invokeAgent(TEXT_STATS_ARN, `turn test ${n}`, sid, { transport });
      expect(r.sessionId).toBe(sid);
      expect(r.response).toMatch(new RegExp(`^turn ${n}: 3 words`));
    }
    expect(agentcore.server.sessions.get(sid)).toMatchObject({ arn: TEXT_STATS_ARN, invocations: 3 });
  });

  it("retries a 503 and then succeeds, waiting the schedule's first delay", async () => {
    const { waits, sleep } = recordingSleep();
    const c = client({ sleep });
    agentcore.server.setFault({ kind: "unavailable", count: 1, arn: FAULTY_ARN });
    const r = await c.invokeAgent(FAULTY_ARN, markdownPrompt("retry"), undefined, { transport });
    expect(r.response).toContain("retry");
    expect(r.metadata.attempts).toBe(2);
    expect(waits).toEqual([1000]);
  });

  it("gives up on a persistent 503 after 3 attempts with a retryable 503", async () => {
    const { waits, sleep } = recordingSleep();
    const c = client({ sleep });
    const refusedBefore = agentcore.server.stats.refused;
    agentcore.server.setFault({ kind: "unavailable", count: Infinity, arn: FAULTY_ARN });
    const err = await failure(c.invokeAgent(FAULTY_ARN, "hello", undefined, { transport }));
    expect(err).toMatchObject({ name: "ServiceUnavailableError", status: 503, retryable: true, attempts: 3 });
    expect(waits).toEqual([1000, 2000]);
    expect(agentcore.server.stats.refused - refusedBefore).toBe(3);
  });

  it("answers 504 when the runtime accepts but never answers (each attempt timing out)", async () => {
    const c = client({ idleTimeoutMs: 150 });
    agentcore.server.setFault({ kind: "timeout", count: Infinity, arn: FAULTY_ARN });
    const err = await failure(c.invokeAgent(FAULTY_ARN, "hello", undefined, { transport }));
    expect(err).toMatchObject({ name: "TimeoutError", status: 504, retryable: true, attempts: 3 });
  });

  it("returns the partial answer marked incomplete when the stream drops mid-answer, without retrying", async () => {
    const c = client();
    const before = agentcore.server.stats.connections;
    agentcore.server.setFault({ kind: "drop", afterChunks: 2, count: 1, arn: FAULTY_ARN });
    const r = await c.invokeAgent(FAULTY_ARN, markdownPrompt("drop", 5), undefined, { transport });
    expect(r.incomplete).toBe(true);
    expect(r.metadata.chunks).toBe(2);
    expect(r.response).toBe("<p>paragraph 0 of drop</p>\n<p>paragraph 1 of drop</p>\n");
    expect(r.metadata.attempts).toBe(1);
    expect(agentcore.server.stats.connections - before).toBe(1);
  });

  it("is refused, not retried, with a wrong secret key; the secret is in no error", async () => {
    const secret = "wrong-secret-key-ZZZ-must-not-leak";
    const c = client({}, { accessKeyId: agentcore.credentials.accessKeyId, secretAccessKey: secret });
    const err = await failure(c.invokeAgent(MARKDOWN_ARN, "hello", undefined, { transport }));
    expect(err).toMatchObject({ name: "AuthenticationError", status: 401, retryable: false, attempts: 1 });
    const visible = JSON.stringify({ ...err, message: err.message, stack: err.stack });
    expect(visible).not.toContain(secret);
    expect(visible).not.toContain(agentcore.credentials.secretAccessKey);
  });

  it("is refused when the signature has expired (signed ten minutes ago)", async () => {
    const c = client({ now: () => new Date(Date.now() - 10 * 60_000) });
    const err = await failure(c.invokeAgent(MARKDOWN_ARN, "hello", undefined, { transport }));
    expect(err).toMatchObject({ name: "AuthenticationError", status: 401, attempts: 1 });
  });

  it("is refused for a runtime in another region (the signature is scoped to that region)", async () => {
    const c = client();
    const other = MARKDOWN_ARN.replace(":us-east-1:", ":eu-west-1:");
    const err = await failure(c.invokeAgent(other, "hello", undefined, { transport }));
    expect(err).toMatchObject({ name: "AuthenticationError", status: 401, attempts: 1 });
  });

  it("answers 404 for a well-formed ARN the endpoint does not host", async () => {
    const c = client();
    const err = await failure(
      c.invokeAgent(MARKDOWN_ARN.replace("Markdown_Test", "Nobody_Here"), "hi", undefined, { transport }),
    );
    expect(err).toMatchObject({ name: "NotFoundError", status: 404, attempts: 1 });
  });
});

describe("before any network call", () => {
  it("refuses a session id shorter than 33 characters, a malformed ARN and an empty prompt", async () => {
    const c = client();
    const before = agentcore.server.stats.connections + agentcore.server.stats.refused;
    expect(await failure(c.invokeAgent(MARKDOWN_ARN, "hi", "session-too-short"))).toMatchObject({ status: 400 });
    expect(await failure(c.invokeAgent("arn:aws:bedrock:us-east-1:1:agent/x", "hi"))).toMatchObject({ status: 400 });
    expect(await failure(c.invokeAgent(MARKDOWN_ARN, ""))).toMatchObject({ status: 400 });
    expect(agentcore.server.stats.connections + agentcore.server.stats.refused).toBe(before);
  });

  it("says so when no credentials can be found, without naming any", async () => {
    const c = client({}, async () => {
      throw Object.assign(new Error("Could not load credentials from any providers"), {
        name: "CredentialsProviderError",
      });
    });
    expect(await failure(c.invokeAgent(MARKDOWN_ARN, "hi"))).toMatchObject({
      name: "AuthenticationError",
      status: 401,
    });
  });
});

describe("concurrency", () => {
  it("keeps 50 concurrent invocations on different sessions apart", async () => {
    const c = client();
    const tokens = Array.from({ length: 50 }, (_, i) => `tok${i}x${Math.random().toString(36).slice(2, 8)}`);
    const results = await Promise.all(
      tokens.map((t, i) =>
        c.invokeAgent(
          i % 2 ? MARKDOWN_ARN : TEXT_STATS_ARN,
          i % 2 ? markdownPrompt(t, 3) : `${t} ${t} alone`,
          undefined,
          {
            transport: i % 4 < 2 ? "ws" : "http",
          },
        ),
      ),
    );
    expect(new Set(results.map((r) => r.sessionId)).size).toBe(50);
    results.forEach((r, i) => {
      const own = tokens[i]!;
      expect(r.response).toContain(own);
      for (const other of tokens) if (other !== own) expect(r.response).not.toContain(other);
      if (i % 2 === 0) expect(r.response).toMatch(/^turn 1: /);
      expect(agentcore.server.sessions.get(r.sessionId)?.invocations).toBe(1);
    });
  });
});

describe("connect timeout", () => {
  it("gives up on a server that never completes the WebSocket handshake", async () => {
    const held: net.Socket[] = [];
    const silent = net.createServer((s) => void held.push(s));
    await new Promise<void>((r) => silent.listen(0, "127.0.0.1", r));
    const { port } = silent.address() as net.AddressInfo;
    const c = client({ endpoint: `http://127.0.0.1:${port}`, connectTimeoutMs: 100, retry: { attempts: 1 } });
    try {
      const err = await failure(c.invokeAgent(MARKDOWN_ARN, "hi"));
      expect(err).toMatchObject({ name: "TimeoutError", status: 504 });
    } finally {
      held.forEach((s) => s.destroy());
      silent.close();
    }
  });
});
