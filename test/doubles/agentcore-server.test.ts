import { Sha256 } from "@aws-crypto/sha256-js";
import { SignatureV4 } from "@smithy/signature-v4";
import { describe, expect, it } from "vitest";
import WebSocket from "ws";
import { runtimePath } from "@/lib/invoke/transports/arn";
import { presignWebSocketUrl, SESSION_HEADER } from "@/lib/invoke/transports/presign";
import { generateSessionId } from "@/lib/invoke/transports/session-id";
import { MARKDOWN_ARN, setupAgentCore, TEST_CREDENTIALS, TEST_REGION, TEXT_STATS_ARN } from "@/test/fixtures/agentcore";

// The local AgentCore endpoint refuses what AWS refuses, with AWS's statuses and error types.
const agentcore = setupAgentCore();

type Upgrade = { status: number; type?: string; body?: string } | { status: 101 };

/** Opens a WebSocket and reports the handshake result (101, or the refusal's status, type and body). */
function upgrade(url: string): Promise<Upgrade> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url);
    ws.on("open", () => {
      ws.terminate();
      resolve({ status: 101 });
    });
    ws.on("unexpected-response", (_req, res) => {
      let body = "";
      res.on("data", (c: Buffer) => (body += c.toString()));
      res.on("end", () => {
        resolve({ status: res.statusCode ?? 0, type: String(res.headers["x-amzn-errortype"]), body });
        ws.terminate();
      });
    });
    ws.on("error", () => {});
  });
}

const presign = (over: Partial<Parameters<typeof presignWebSocketUrl>[0]> = {}) =>
  presignWebSocketUrl({
    endpoint: agentcore.server.url,
    runtimeArn: MARKDOWN_ARN,
    sessionId: generateSessionId(),
    region: TEST_REGION,
    credentials: TEST_CREDENTIALS,
    ...over,
  });

describe("WebSocket upgrade (presigned URL)", () => {
  it("accepts a correctly presigned URL", async () => {
    expect(await upgrade(await presign())).toEqual({ status: 101 });
  });

  it("refuses a tampered signature with 403 InvalidSignatureException", async () => {
    const url = new URL(await presign());
    const sig = url.searchParams.get("X-Amz-Signature")!;
    url.searchParams.set("X-Amz-Signature", (sig[0] === "a" ? "b" : "a") + sig.slice(1));
    const r = await upgrade(url.toString());
    expect(r).toMatchObject({ status: 403, type: "InvalidSignatureException" });
    expect(JSON.parse((r as { body: string }).body).message).toMatch(/signature/i);
  });

  it("refuses a URL whose session id was changed after signing", async () => {
    const url = new URL(await presign());
    url.searchParams.set(SESSION_HEADER, generateSessionId());
    expect(await upgrade(url.toString())).toMatchObject({ status: 403, type: "InvalidSignatureException" });
  });

  it("refuses another region, another service and an unknown key", async () => {
    expect(await upgrade(await presign({ region: "eu-west-1" }))).toMatchObject({
      status: 403,
      type: "InvalidSignatureException",
    });
    const url = new URL(await presign());
    url.searchParams.set(
      "X-Amz-Credential",
      url.searchParams.get("X-Amz-Credential")!.replace("bedrock-agentcore", "bedrock"),
    );
    expect(await upgrade(url.toString())).toMatchObject({ status: 403, type: "InvalidSignatureException" });
    expect(
      await upgrade(await presign({ credentials: { accessKeyId: "AKIAUNKNOWN000000000", secretAccessKey: "x" } })),
    ).toMatchObject({ status: 403, type: "UnrecognizedClientException" });
  });

  it("refuses an expired URL", async () => {
    const url = await presign({ signingDate: new Date(Date.now() - 301_000), expiresIn: 300 });
    expect(await upgrade(url)).toMatchObject({ status: 403, type: "InvalidSignatureException" });
    const r = await upgrade(url);
    expect(JSON.parse((r as { body: string }).body).message).toBe("Signature expired.");
  });

  it("refuses a request without any signature", async () => {
    const url = `${agentcore.server.url.replace("http", "ws")}${runtimePath(MARKDOWN_ARN, "ws")}?${SESSION_HEADER}=${generateSessionId()}`;
    expect(await upgrade(url)).toMatchObject({ status: 403, type: "MissingAuthenticationTokenException" });
  });

  it("refuses a session id shorter than 33 characters with 400", async () => {
    expect(await upgrade(await presign({ sessionId: "x".repeat(32) }))).toMatchObject({
      status: 400,
      type: "ValidationException",
    });
    expect(await upgrade(await presign({ sessionId: "x".repeat(33) }))).toEqual({ status: 101 });
  });

  it("answers 404 for a runtime it does not host", async () => {
    const arn = MARKDOWN_ARN.replace("Markdown_Test", "Unknown_Test");
    expect(await upgrade(await presign({ runtimeArn: arn }))).toMatchObject({
      status: 404,
      type: "ResourceNotFoundException",
    });
  });
});

describe("POST /invocations (signed headers)", () => {
  async function signedPost(over: { region?: string; body?: string; tamperBody?: boolean; sessionId?: string } = {}) {
    const url = new URL(`${agentcore.server.url}${runtimePath(TEXT_STATS_ARN, "invocations")}?qualifier=DEFAULT`);
    const body = over.body ?? JSON.stringify({ prompt: "hello there" });
    const signer = new SignatureV4({
      credentials: TEST_CREDENTIALS,
      region: over.region ?? TEST_REGION,
      service: "bedrock-agentcore",
      sha256: Sha256,
    });
    const signed = await signer.sign({
      method: "POST",
      protocol: "http:",
      hostname: url.hostname,
      port: Number(url.port),
      path: url.pathname,
      query: { qualifier: "DEFAULT" },
      headers: {
        host: url.host,
        "content-type": "application/json",
        [SESSION_HEADER]: over.sessionId ?? generateSessionId(),
      },
      body,
    });
    const res = await fetch(url, {
      method: "POST",
      headers: signed.headers,
      body: over.tamperBody ? `${body} ` : body,
    });
    return { status: res.status, type: res.headers.get("x-amzn-errortype"), text: await res.text() };
  }

  it("relays a correctly signed request to the agent", async () => {
    const r = await signedPost();
    expect(r.status).toBe(200);
    expect(JSON.parse(r.text)).toMatchObject({ response: expect.stringMatching(/^turn 1: 2 words/), turn: 1 });
  });

  it("refuses a body changed after signing, another region, and a short session id", async () => {
    expect(await signedPost({ tamperBody: true })).toMatchObject({ status: 400, type: "XAmzContentSHA256Mismatch" });
    expect(await signedPost({ region: "ap-south-1" })).toMatchObject({
      status: 403,
      type: "InvalidSignatureException",
    });
    expect(await signedPost({ sessionId: "short" })).toMatchObject({ status: 400, type: "ValidationException" });
  });
});

describe("session tokens", () => {
  it("requires the session token of temporary credentials", async () => {
    const temp = { accessKeyId: "ASIATEMPORARY0000001", secretAccessKey: "temp-secret", sessionToken: "token-123" };
    const { startAgentCoreServer } = await import("./agentcore-server");
    const s = await startAgentCoreServer({
      credentials: temp,
      agents: { [MARKDOWN_ARN]: { artifact: "markdown" } },
    });
    try {
      const base = { endpoint: s.url, runtimeArn: MARKDOWN_ARN, sessionId: generateSessionId(), region: "us-east-1" };
      expect(await upgrade(await presignWebSocketUrl({ ...base, credentials: temp }))).toEqual({ status: 101 });
      const url = new URL(await presignWebSocketUrl({ ...base, credentials: temp }));
      url.searchParams.delete("X-Amz-Security-Token");
      expect(await upgrade(url.toString())).toMatchObject({ status: 403, type: "UnrecognizedClientException" });
    } finally {
      await s.close();
    }
  });
});
