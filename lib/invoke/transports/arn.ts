import { AGENTCORE_ARN_RE } from "@/lib/runtime/config";
import { InvocationError } from "../errors";

/** The parts of an AgentCore runtime ARN (AgentCore's RuntimeArnComponents). */
export interface RuntimeArnComponents {
  region: string;
  accountId: string;
  runtimeId: string;
  /** The full ARN, URL-encoded for the data-plane path. */
  encodedArn: string;
}

export function isRuntimeArn(value: string): boolean {
  return AGENTCORE_ARN_RE.test(value);
}

/** Splits `arn:aws:bedrock-agentcore:<region>:<account>:runtime/<id>`; anything else is a 400 before any network call. */
export function parseRuntimeArn(arn: string): RuntimeArnComponents {
  const m = AGENTCORE_ARN_RE.exec(arn);
  if (!m) throw new InvocationError("ValidationError", "The agent runtime ARN is malformed");
  const [, region, accountId, runtimeId] = m as unknown as [string, string, string, string];
  return { region, accountId, runtimeId, encodedArn: encodeArnForUrl(arn) };
}

export function buildRuntimeArn(parts: Pick<RuntimeArnComponents, "region" | "accountId" | "runtimeId">): string {
  return `arn:aws:bedrock-agentcore:${parts.region}:${parts.accountId}:runtime/${parts.runtimeId}`;
}

/** The ARN as one path segment: every `:` and `/` escaped, as the data plane expects. */
export function encodeArnForUrl(arn: string): string {
  return encodeURIComponent(arn);
}

/** `/runtimes/<encoded ARN>/<action>`: the data-plane path of a runtime (`ws` or `invocations`). */
export function runtimePath(arn: string, action: "ws" | "invocations"): string {
  return `/runtimes/${encodeArnForUrl(arn)}/${action}`;
}

/** The inverse of runtimePath, for the local endpoint: the ARN and action of a request path, or null. */
export function parseRuntimePath(path: string): { arn: string; action: string } | null {
  const m = /^\/runtimes\/([^/]+)\/([a-z]+)$/.exec(path);
  if (!m) return null;
  try {
    return { arn: decodeURIComponent(m[1] as string), action: m[2] as string };
  } catch {
    return null;
  }
}
