import { createHash, timingSafeEqual } from "node:crypto";
import type { IncomingMessage } from "node:http";
import { Sha256 } from "@aws-crypto/sha256-js";
import { SignatureV4 } from "@smithy/signature-v4";
import type { AwsCredentialIdentity } from "@smithy/types";

/**
 * Server-side SigV4 verification for the local AgentCore endpoint: the signature is recomputed with
 * @smithy/signature-v4 from the request as received and the known test credentials, then compared.
 * Refusals mirror AWS: 403 with an error type (`x-amzn-errortype`) and a JSON `{ "message" }` body.
 */
export interface Refusal {
  status: number;
  type: string;
  message: string;
}

export type Verdict = { ok: true; accessKeyId: string } | ({ ok: false } & Refusal);

const SERVICE = "bedrock-agentcore";
// AWS tolerates this much clock skew for header-signed requests.
const MAX_SKEW_MS = 5 * 60_000;

function refuse(status: number, type: string, message: string): Verdict {
  return { ok: false, status, type, message };
}

/** `20261121T180102Z` -> Date. */
function parseAmzDate(value: string): Date | null {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  if (!m) return null;
  const [, y, mo, d, h, mi, s] = m.map(Number) as number[];
  return new Date(Date.UTC(y!, mo! - 1, d!, h!, mi!, s!));
}

/** The caller's key when the signature it sent is the one we calculated, else AWS's 403. */
function signatureVerdict(want: string, got: string, accessKeyId: string): Verdict {
  if (!sameSignature(want, got)) {
    return refuse(
      403,
      "InvalidSignatureException",
      "The request signature we calculated does not match the signature you provided.",
    );
  }
  return { ok: true, accessKeyId };
}

function sameSignature(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

interface Scope {
  accessKeyId: string;
  date: string;
  region: string;
  service: string;
}

function parseCredential(value: string): Scope | null {
  const parts = value.split("/");
  if (parts.length !== 5 || parts[4] !== "aws4_request") return null;
  const [accessKeyId, date, region, service] = parts as [string, string, string, string];
  return { accessKeyId, date, region, service };
}

function checkScope(
  scope: Scope | null,
  region: string,
  credentials: AwsCredentialIdentity[],
  service = SERVICE,
): { cred: AwsCredentialIdentity } | Verdict {
  if (!scope)
    return refuse(403, "IncompleteSignatureException", "Credential must have exactly 5 slash-delimited elements");
  const cred = credentials.find((c) => c.accessKeyId === scope.accessKeyId);
  if (!cred)
    return refuse(403, "UnrecognizedClientException", "The security token included in the request is invalid.");
  if (scope.region !== region) {
    return refuse(
      403,
      "InvalidSignatureException",
      `Credential should be scoped to a valid region, not '${scope.region}'.`,
    );
  }
  if (scope.service !== service) {
    return refuse(403, "InvalidSignatureException", `Credential should be scoped to correct service: '${service}'.`);
  }
  return { cred };
}

function signedHeaderValues(req: IncomingMessage, names: string[]): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const name of names) {
    const value = req.headers[name];
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(",") : value;
  }
  return headers;
}

/** The request as the client signed it, rebuilt from what arrived (`method` when the request has none). */
function signable(
  req: IncomingMessage,
  url: URL,
  method: string,
  query: Record<string, string | string[]>,
  signedHeaders: string[],
) {
  return {
    method: req.method ?? method,
    protocol: "http:",
    hostname: url.hostname,
    path: url.pathname,
    query,
    headers: signedHeaderValues(req, signedHeaders),
  };
}

/** Verifies a presigned URL (query authentication), as used for the WebSocket upgrade. */
export async function verifyPresigned(
  req: IncomingMessage,
  url: URL,
  region: string,
  credentials: AwsCredentialIdentity[],
  now = new Date(),
): Promise<Verdict> {
  const q = url.searchParams;
  if (q.get("X-Amz-Algorithm") !== "AWS4-HMAC-SHA256") {
    return refuse(403, "MissingAuthenticationTokenException", "Missing Authentication Token");
  }
  const scoped = checkScope(parseCredential(q.get("X-Amz-Credential") ?? ""), region, credentials);
  if ("ok" in scoped) return scoped;
  const date = parseAmzDate(q.get("X-Amz-Date") ?? "");
  const expires = Number(q.get("X-Amz-Expires"));
  const signature = q.get("X-Amz-Signature") ?? "";
  const signedHeaders = (q.get("X-Amz-SignedHeaders") ?? "").split(";").filter(Boolean);
  if (!date || !Number.isInteger(expires) || expires <= 0 || !signature || !signedHeaders.includes("host")) {
    return refuse(403, "IncompleteSignatureException", "The presigned URL is missing required parameters.");
  }
  if (date.getTime() + expires * 1000 < now.getTime()) {
    return refuse(403, "InvalidSignatureException", "Signature expired.");
  }
  if (date.getTime() - now.getTime() > MAX_SKEW_MS) {
    return refuse(403, "InvalidSignatureException", "Signature not yet current.");
  }
  if (scoped.cred.sessionToken && q.get("X-Amz-Security-Token") !== scoped.cred.sessionToken) {
    return refuse(403, "UnrecognizedClientException", "The security token included in the request is invalid.");
  }
  const query: Record<string, string> = {};
  for (const [k, v] of q) if (k !== "X-Amz-Signature") query[k] = v;
  const signer = new SignatureV4({ credentials: scoped.cred, region, service: SERVICE, sha256: Sha256 });
  const expected = await signer.presign(signable(req, url, "GET", query, signedHeaders), {
    signingDate: date,
    expiresIn: expires,
  });
  const want = String(expected.query?.["X-Amz-Signature"] ?? "");
  return signatureVerdict(want, signature, scoped.cred.accessKeyId);
}

/**
 * Verifies an `Authorization: AWS4-HMAC-SHA256 ...` header signature (the SDK's HTTP requests). `service` is the
 * signing name (bedrock-agentcore for both AgentCore planes, ecs, s3); S3 signs its path without escaping it again.
 */
export async function verifyHeaders(
  req: IncomingMessage,
  url: URL,
  body: Buffer,
  region: string,
  credentials: AwsCredentialIdentity[],
  now = new Date(),
  service = SERVICE,
): Promise<Verdict> {
  const auth = req.headers.authorization ?? "";
  const m = /^AWS4-HMAC-SHA256 Credential=([^,\s]+),\s*SignedHeaders=([^,\s]+),\s*Signature=([0-9a-f]+)$/.exec(auth);
  if (!m) return refuse(403, "MissingAuthenticationTokenException", "Missing Authentication Token");
  const [, credential, signedList, signature] = m as unknown as [string, string, string, string];
  const scoped = checkScope(parseCredential(credential), region, credentials, service);
  if ("ok" in scoped) return scoped;
  const amzDate = req.headers["x-amz-date"];
  const date = typeof amzDate === "string" ? parseAmzDate(amzDate) : null;
  if (!date) return refuse(403, "IncompleteSignatureException", "X-Amz-Date is required.");
  if (Math.abs(date.getTime() - now.getTime()) > MAX_SKEW_MS) {
    return refuse(403, "InvalidSignatureException", "Signature expired.");
  }
  if (scoped.cred.sessionToken && req.headers["x-amz-security-token"] !== scoped.cred.sessionToken) {
    return refuse(403, "UnrecognizedClientException", "The security token included in the request is invalid.");
  }
  const declared = req.headers["x-amz-content-sha256"];
  if (typeof declared === "string" && declared !== "UNSIGNED-PAYLOAD") {
    // The signature covers the declared hash; the body must match it.
    if (declared !== createHash("sha256").update(body).digest("hex")) {
      return refuse(
        400,
        "XAmzContentSHA256Mismatch",
        "The provided 'x-amz-content-sha256' header does not match what was computed.",
      );
    }
  }
  const names = signedList.split(";");
  const query: Record<string, string | string[]> = {};
  for (const key of new Set(url.searchParams.keys())) {
    const all = url.searchParams.getAll(key);
    query[key] = all.length === 1 ? (all[0] as string) : all;
  }
  // applyChecksum off: the client's x-amz-content-sha256, when it signed one, is among the headers already.
  const signer = new SignatureV4({
    credentials: scoped.cred,
    region,
    service,
    sha256: Sha256,
    applyChecksum: false,
    uriEscapePath: service !== "s3",
  });
  const signed = await signer.sign({ ...signable(req, url, "POST", query, names), body }, { signingDate: date });
  const want = /Signature=([0-9a-f]+)$/.exec(String(signed.headers.authorization ?? ""))?.[1] ?? "";
  return signatureVerdict(want, signature, scoped.cred.accessKeyId);
}
