import { describe, expect, it } from "vitest";
import { dataPlaneEndpoint, MAX_PRESIGN_EXPIRY_S, presignWebSocketUrl, SESSION_HEADER } from "./presign";

const ARN = "arn:aws:bedrock-agentcore:eu-west-1:123456789012:runtime/Agent_Test-abc123";
const SID = "session-0123456789abcdef0123456789abcdef";
const creds = { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY" };
const at = new Date("2026-11-21T18:01:02Z");

const presign = (extra: Partial<Parameters<typeof presignWebSocketUrl>[0]> = {}) =>
  presignWebSocketUrl({
    endpoint: dataPlaneEndpoint("eu-west-1"),
    runtimeArn: ARN,
    sessionId: SID,
    region: "eu-west-1",
    credentials: creds,
    signingDate: at,
    ...extra,
  });

describe("presignWebSocketUrl", () => {
  it("signs the /ws URL of the runtime with every SigV4 query parameter and the session id", async () => {
    const url = new URL(await presign());
    expect(url.protocol).toBe("wss:");
    expect(url.host).toBe("bedrock-agentcore.eu-west-1.amazonaws.com");
    expect(url.pathname).toBe(`/runtimes/${encodeURIComponent(ARN)}/ws`);
    const q = url.searchParams;
    expect(q.get("X-Amz-Algorithm")).toBe("AWS4-HMAC-SHA256");
    expect(q.get("X-Amz-Credential")).toBe("AKIDEXAMPLE/20261121/eu-west-1/bedrock-agentcore/aws4_request");
    expect(q.get("X-Amz-Date")).toBe("20261121T180102Z");
    expect(q.get("X-Amz-Expires")).toBe("300");
    expect(q.get("X-Amz-SignedHeaders")).toBe("host");
    expect(q.get("X-Amz-Signature")).toMatch(/^[0-9a-f]{64}$/);
    expect(q.get(SESSION_HEADER)).toBe(SID);
    expect(q.get("qualifier")).toBe("DEFAULT");
    expect(q.has("X-Amz-Security-Token")).toBe(false);
  });

  it("caps the expiry at 300 seconds", async () => {
    const url = new URL(await presign({ expiresIn: 3600 }));
    expect(url.searchParams.get("X-Amz-Expires")).toBe(String(MAX_PRESIGN_EXPIRY_S));
    expect(new URL(await presign({ expiresIn: 60 })).searchParams.get("X-Amz-Expires")).toBe("60");
  });

  it("carries the session token of temporary credentials, never the secret", async () => {
    const url = await presign({ credentials: { ...creds, sessionToken: "FQoGZXIvYXdzE//token+/=" } });
    expect(new URL(url).searchParams.get("X-Amz-Security-Token")).toBe("FQoGZXIvYXdzE//token+/=");
    expect(url).not.toContain(creds.secretAccessKey);
    expect(url).not.toContain(encodeURIComponent(creds.secretAccessKey));
  });

  it("uses ws:// for a plain-HTTP endpoint override and keeps its port", async () => {
    const url = new URL(await presign({ endpoint: "http://127.0.0.1:4567" }));
    expect(url.protocol).toBe("ws:");
    expect(url.host).toBe("127.0.0.1:4567");
  });

  it("changes the signature with the session, the qualifier, the date or the key", async () => {
    const sig = async (extra: Parameters<typeof presign>[0]) =>
      new URL(await presign(extra)).searchParams.get("X-Amz-Signature");
    const base = await sig({});
    expect(await sig({ sessionId: `${SID}x` })).not.toBe(base);
    expect(await sig({ qualifier: "prod" })).not.toBe(base);
    expect(await sig({ signingDate: new Date(at.getTime() + 1000) })).not.toBe(base);
    expect(await sig({ credentials: { ...creds, secretAccessKey: "other" } })).not.toBe(base);
  });
});
