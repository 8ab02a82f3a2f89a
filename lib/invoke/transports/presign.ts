import { Sha256 } from "@aws-crypto/sha256-js";
import { SignatureV4 } from "@smithy/signature-v4";
import type { AwsCredentialIdentity } from "@smithy/types";
import { runtimePath } from "./arn";

export const SERVICE = "bedrock-agentcore";
export const SESSION_HEADER = "X-Amzn-Bedrock-AgentCore-Runtime-Session-Id";
/** AgentCore accepts presigned WebSocket URLs valid for at most five minutes. */
export const MAX_PRESIGN_EXPIRY_S = 300;

/** The data-plane origin: `https://bedrock-agentcore.<region>.amazonaws.com`, or the configured override. */
export function dataPlaneEndpoint(region: string, override?: string): string {
  return (override ?? `https://${SERVICE}.${region}.amazonaws.com`).replace(/\/+$/, "");
}

export interface PresignInput {
  /** `https://...` origin of the data plane (the URL returned is its wss:// / ws:// twin). */
  endpoint: string;
  runtimeArn: string;
  qualifier?: string;
  sessionId: string;
  region: string;
  credentials: AwsCredentialIdentity;
  /** Seconds, capped at 300. */
  expiresIn?: number;
  signingDate?: Date;
}

/** Query strings are written with encodeURIComponent; the signer canonicalises the decoded values itself. */
export function formatQuery(query: Record<string, string | string[] | null | undefined>): string {
  const parts: string[] = [];
  for (const key of Object.keys(query).sort()) {
    const value = query[key];
    if (value === undefined || value === null) continue;
    for (const v of Array.isArray(value) ? value : [value]) {
      parts.push(`${encodeURIComponent(key)}=${encodeURIComponent(v)}`);
    }
  }
  return parts.join("&");
}

/**
 * A SigV4-presigned WebSocket URL for `/runtimes/<arn>/ws` (AgentCore's generateSignedWebSocketUrl; ./properties.test.ts): the
 * signature, credential scope, date, expiry and (for temporary credentials) the session token travel in the
 * query, so the upgrade request needs no Authorization header. Same inputs and date -> the same URL.
 */
export async function presignWebSocketUrl(input: PresignInput): Promise<string> {
  const base = new URL(input.endpoint);
  const expiresIn = Math.max(1, Math.min(MAX_PRESIGN_EXPIRY_S, Math.floor(input.expiresIn ?? MAX_PRESIGN_EXPIRY_S)));
  const signer = new SignatureV4({
    credentials: input.credentials,
    region: input.region,
    service: SERVICE,
    sha256: Sha256,
    applyChecksum: false,
  });
  const path = runtimePath(input.runtimeArn, "ws");
  const signed = await signer.presign(
    {
      method: "GET",
      protocol: base.protocol,
      hostname: base.hostname,
      port: base.port ? Number(base.port) : undefined,
      path,
      query: { qualifier: input.qualifier ?? "DEFAULT", [SESSION_HEADER]: input.sessionId },
      headers: { host: base.host },
    },
    { expiresIn, signingDate: input.signingDate },
  );
  const scheme = base.protocol === "http:" ? "ws:" : "wss:";
  return `${scheme}//${base.host}${path}?${formatQuery(signed.query as Record<string, string>)}`;
}
