import { randomBytes } from "node:crypto";

/**
 * The AgentCore control plane's resources as the double keeps them: runtimes with numbered immutable versions,
 * and named endpoints that serve one version each (`liveVersion`, and `targetVersion` while they move). Every
 * change is validated the way AgentCore validates it and answers its error types.
 */

export const REGION = "us-east-1";
export const ACCOUNT = "123456789012";

export class ControlError extends Error {
  constructor(
    readonly type: string,
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

export const notFound = (what: string) => new ControlError("ResourceNotFoundException", `${what} not found`, 404);
export const invalid = (message: string) => new ControlError("ValidationException", message, 400);
export const conflict = (message: string) => new ControlError("ConflictException", message, 409);

export type Status = "CREATING" | "CREATE_FAILED" | "UPDATING" | "UPDATE_FAILED" | "READY" | "DELETING";

export interface RuntimeVersion {
  version: string;
  artifact: { codeConfiguration?: CodeConfig; containerConfiguration?: { containerUri: string } };
  roleArn: string;
  networkConfiguration: Record<string, unknown>;
  lifecycleConfiguration: { idleRuntimeSessionTimeout: number; maxLifetime: number };
  protocolConfiguration?: Record<string, unknown>;
  environmentVariables: Record<string, string>;
  description?: string;
  createdAt: number;
}

export interface CodeConfig {
  code: { s3: { bucket: string; prefix: string; versionId?: string } };
  runtime: string;
  entryPoint: string[];
}

export interface Endpoint {
  id: string;
  name: string;
  arn: string;
  status: Status;
  liveVersion?: string;
  targetVersion?: string;
  description?: string;
  failureReason?: string;
  createdAt: number;
  lastUpdatedAt: number;
}

export interface Runtime {
  id: string;
  name: string;
  arn: string;
  status: Status;
  failureReason?: string;
  versions: Map<string, RuntimeVersion>;
  latest: string;
  endpoints: Map<string, Endpoint>;
  createdAt: number;
  lastUpdatedAt: number;
  /** Idempotency: clientToken -> the version it made. */
  tokens: Map<string, string>;
}

const NAME_RE = /^[a-zA-Z][a-zA-Z0-9_]{0,47}$/;
const ROLE_RE = /^arn:aws(-[^:]+)?:iam::([0-9]{12})?:role\/.+$/;
const RUNTIMES = new Set(["NODE_22", "PYTHON_3_10", "PYTHON_3_11", "PYTHON_3_12", "PYTHON_3_13", "PYTHON_3_14"]);
const now = () => Date.now() / 1000;
/** AgentCore's timestamps are RFC 3339 date-times on the wire (the model's timestampFormat). */
export const iso = (seconds: number) => new Date(seconds * 1000).toISOString();

export function checkName(kind: string, name: unknown): string {
  if (typeof name !== "string" || !NAME_RE.test(name)) {
    throw invalid(
      `1 validation error detected: Value '${String(name)}' at '${kind}' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z][a-zA-Z0-9_]{0,47}`,
    );
  }
  return name;
}

/** Validates a Create/UpdateAgentRuntime body into a version (numbered by the caller). */
export function versionOf(
  body: Record<string, any>,
  version: string,
  objectExists: (b: string, k: string) => boolean,
): RuntimeVersion {
  const artifact = body.agentRuntimeArtifact ?? {};
  const code = artifact.codeConfiguration as CodeConfig | undefined;
  const container = artifact.containerConfiguration as { containerUri?: string } | undefined;
  if (!!code === !!container)
    throw invalid("agentRuntimeArtifact must hold exactly one of codeConfiguration, containerConfiguration");
  if (code) {
    const s3 = code.code?.s3;
    if (!s3?.bucket || !s3.prefix) throw invalid("codeConfiguration.code.s3 needs bucket and prefix");
    if (!RUNTIMES.has(code.runtime))
      throw invalid(
        `Value '${code.runtime}' at 'runtime' failed to satisfy constraint: Member must satisfy enum value set`,
      );
    if (!Array.isArray(code.entryPoint) || code.entryPoint.length === 0)
      throw invalid("entryPoint must have at least 1 element");
    if (!objectExists(s3.bucket, s3.prefix))
      throw invalid(`The S3 object s3://${s3.bucket}/${s3.prefix} does not exist or is not accessible`);
  }
  if (container && !/^[^\s]+\/[^\s]+:[^\s]+$|^[^\s]+@sha256:[0-9a-f]{64}$/.test(container.containerUri ?? "")) {
    throw invalid("containerUri must be an ECR image URI with a tag or digest");
  }
  if (typeof body.roleArn !== "string" || !ROLE_RE.test(body.roleArn)) throw invalid("roleArn must be an IAM role ARN");
  const network = body.networkConfiguration;
  if (!network || !["PUBLIC", "VPC"].includes(network.networkMode))
    throw invalid("networkConfiguration.networkMode must be PUBLIC or VPC");
  if (network.networkMode === "VPC" && !(network.networkModeConfig?.subnets ?? []).length)
    throw invalid("VPC mode needs subnets");
  const life = body.lifecycleConfiguration ?? {};
  const idle = life.idleRuntimeSessionTimeout ?? 900;
  const max = life.maxLifetime ?? 28_800;
  if (idle < 60 || idle > 28_800 || max < 60 || max > 28_800 || idle > max) {
    throw invalid("lifecycleConfiguration: idleRuntimeSessionTimeout and maxLifetime must be 60-28800 s, idle <= max");
  }
  return {
    version,
    artifact: code
      ? { codeConfiguration: code }
      : { containerConfiguration: { containerUri: container!.containerUri! } },
    roleArn: body.roleArn,
    networkConfiguration: network,
    lifecycleConfiguration: { idleRuntimeSessionTimeout: idle, maxLifetime: max },
    protocolConfiguration: body.protocolConfiguration,
    environmentVariables: body.environmentVariables ?? {},
    description: body.description,
    createdAt: now(),
  };
}

export function newRuntime(name: string, first: RuntimeVersion): Runtime {
  const id = `${name}-${randomBytes(5).toString("hex")}`;
  const t = now();
  return {
    id,
    name,
    arn: `arn:aws:bedrock-agentcore:${REGION}:${ACCOUNT}:runtime/${id}`,
    status: "CREATING",
    versions: new Map([[first.version, first]]),
    latest: first.version,
    endpoints: new Map(),
    createdAt: t,
    lastUpdatedAt: t,
    tokens: new Map(),
  };
}

export function newEndpoint(rt: Runtime, name: string, version: string, description?: string): Endpoint {
  const t = now();
  return {
    id: `${name}-${randomBytes(5).toString("hex")}`,
    name,
    arn: `${rt.arn}/runtime-endpoint/${name}`,
    status: "CREATING",
    targetVersion: version,
    description,
    createdAt: t,
    lastUpdatedAt: t,
  };
}

export const touch = (o: { lastUpdatedAt: number }) => void (o.lastUpdatedAt = now());

export function runtimeJson(rt: Runtime, v: RuntimeVersion) {
  return {
    agentRuntimeArn: rt.arn,
    agentRuntimeName: rt.name,
    agentRuntimeId: rt.id,
    agentRuntimeVersion: v.version,
    createdAt: iso(rt.createdAt),
    lastUpdatedAt: iso(rt.lastUpdatedAt),
    roleArn: v.roleArn,
    status: v.version === rt.latest ? rt.status : "READY",
    ...(rt.failureReason && v.version === rt.latest ? { failureReason: rt.failureReason } : {}),
    lifecycleConfiguration: v.lifecycleConfiguration,
    networkConfiguration: v.networkConfiguration,
    description: v.description,
    agentRuntimeArtifact: v.artifact,
    ...(v.protocolConfiguration ? { protocolConfiguration: v.protocolConfiguration } : {}),
    environmentVariables: v.environmentVariables,
  };
}

export function endpointJson(rt: Runtime, e: Endpoint) {
  return {
    agentRuntimeEndpointArn: e.arn,
    agentRuntimeArn: rt.arn,
    status: e.status,
    createdAt: iso(e.createdAt),
    lastUpdatedAt: iso(e.lastUpdatedAt),
    name: e.name,
    id: e.id,
    liveVersion: e.liveVersion,
    targetVersion: e.targetVersion,
    description: e.description,
    failureReason: e.failureReason,
  };
}
