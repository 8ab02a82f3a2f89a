import "server-only";
import {
  CreateAgentRuntimeCommand,
  GetAgentRuntimeCommand,
  ListAgentRuntimesCommand,
  UpdateAgentRuntimeCommand,
  type AgentRuntimeArtifact,
  type CreateAgentRuntimeCommandInput,
} from "@aws-sdk/client-bedrock-agentcore-control";
import { HeadObjectCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import { env } from "@/lib/env";
import { withThrottleRetry } from "@/lib/runtime/hosts/ecs-client";
import { versionFiles } from "../../instances/files";
import type { RouteKey, VersionRow } from "../../instances/manager";
import type { SecurityConfig } from "../../types";
import { pollUntil } from "../rows";
import { agentCoreClients } from "./clients";
import { packageCode } from "./package";

/**
 * One AgentCore runtime per agent (`<prefix>_<agent id>`), one runtime version per deployed agent version (its id
 * in the version's description, so a restarted controller finds it again). The code is zipped into the operator's
 * bucket; the role, network and lifecycle are the operator's and the deployment's, never the user's.
 */

export interface RuntimeVersionRef {
  runtimeId: string;
  runtimeArn: string;
  version: string;
}

const send = <T>(fn: () => Promise<T>) => withThrottleRetry(fn);
const marker = (v: VersionRow) => `agent-market version ${v.id}`;
export const runtimeName = (agentId: string) => `${env().AGENTCORE_RUNTIME_PREFIX}_${agentId.replace(/-/g, "")}`;

const isNotFound = (err: unknown) => {
  const e = err as { name?: string; $metadata?: { httpStatusCode?: number } };
  return e.name === "NotFound" || e.name === "ResourceNotFoundException" || e.$metadata?.httpStatusCode === 404;
};
export { isNotFound };

/** Uploads the version's code (once: the key holds its SHA-256); returns the artifact AgentCore runs. */
export async function versionArtifact(
  version: VersionRow,
  route: RouteKey,
): Promise<{ artifact: AgentRuntimeArtifact; line: string }> {
  if (version.source === "image" && version.containerImage) {
    return {
      artifact: { containerConfiguration: { containerUri: version.containerImage } },
      line: `container image ${version.containerImage}`,
    };
  }
  const bucket = env().AGENT_ARTIFACTS_BUCKET!;
  const files = await versionFiles(version);
  const code = packageCode(files.bundleDir);
  const key = `${route.agentId}/${version.version}/${code.sha256}.zip`;
  const { s3 } = agentCoreClients();
  const exists = await send(() => s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }))).then(
    () => true,
    (err: unknown) => {
      if (isNotFound(err)) return false;
      throw err;
    },
  );
  if (!exists) {
    await send(() =>
      s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: code.zip, ContentType: "application/zip" })),
    );
  }
  return {
    artifact: {
      codeConfiguration: {
        code: { s3: { bucket, prefix: key } },
        entryPoint: [files.entrypoint],
        runtime: files.runtime === "python" ? "PYTHON_3_12" : "NODE_22",
      },
    },
    line: `${exists ? "found" : "uploaded"} s3://${bucket}/${key} (${code.zip.length} bytes)`,
  };
}

async function findRuntime(name: string): Promise<{ id: string; arn: string; latest: string } | null> {
  const { control } = agentCoreClients();
  let nextToken: string | undefined;
  do {
    const page = await send(() => control.send(new ListAgentRuntimesCommand({ maxResults: 100, nextToken })));
    const hit = page.agentRuntimes?.find((r) => r.agentRuntimeName === name);
    if (hit) return { id: hit.agentRuntimeId!, arn: hit.agentRuntimeArn!, latest: hit.agentRuntimeVersion! };
    nextToken = page.nextToken;
  } while (nextToken);
  return null;
}

function settings(version: VersionRow, security: SecurityConfig) {
  const e = env();
  const vpc = security.vpc_config;
  return {
    roleArn: e.AGENTCORE_EXECUTION_ROLE_ARN!,
    networkConfiguration: vpc
      ? {
          networkMode: "VPC" as const,
          networkModeConfig: { subnets: vpc.subnet_ids, securityGroups: vpc.security_group_ids },
        }
      : { networkMode: "PUBLIC" as const },
    lifecycleConfiguration: {
      idleRuntimeSessionTimeout: e.AGENTCORE_IDLE_TIMEOUT_S,
      maxLifetime: e.AGENTCORE_MAX_LIFETIME_S,
    },
    description: marker(version),
    environmentVariables: { AGENT_ID: version.agentId, AGENT_VERSION: version.version },
  } satisfies Partial<CreateAgentRuntimeCommandInput>;
}

/** The runtime version of `version`: found by its description, else made (Create the first time, Update after). */
export async function runtimeVersionFor(
  route: RouteKey,
  version: VersionRow,
  security: SecurityConfig,
  timeoutMs: number,
  log: (line: string) => void,
): Promise<RuntimeVersionRef> {
  const { control } = agentCoreClients();
  const name = runtimeName(route.agentId);
  const found = await findRuntime(name);
  if (found) {
    for (let n = Number(found.latest); n >= 1 && n > Number(found.latest) - 20; n--) {
      const v = await send(() =>
        control.send(new GetAgentRuntimeCommand({ agentRuntimeId: found.id, agentRuntimeVersion: String(n) })),
      );
      if (v.description === marker(version) && v.status !== "CREATE_FAILED" && v.status !== "UPDATE_FAILED") {
        return { runtimeId: found.id, runtimeArn: found.arn, version: String(n) };
      }
    }
  }
  const { artifact, line } = await versionArtifact(version, route);
  log(line);
  const common = { ...settings(version, security), agentRuntimeArtifact: artifact };
  const made = found
    ? await send(() => control.send(new UpdateAgentRuntimeCommand({ ...common, agentRuntimeId: found.id })))
    : await send(() => control.send(new CreateAgentRuntimeCommand({ ...common, agentRuntimeName: name })));
  const ref = {
    runtimeId: made.agentRuntimeId!,
    runtimeArn: made.agentRuntimeArn!,
    version: made.agentRuntimeVersion!,
  };
  log(`${found ? "UpdateAgentRuntime" : "CreateAgentRuntime"}: ${name} version ${ref.version}`);
  await pollUntil(
    async () => {
      const r = await send(() =>
        control.send(new GetAgentRuntimeCommand({ agentRuntimeId: ref.runtimeId, agentRuntimeVersion: ref.version })),
      );
      if (r.status === "READY") return { done: true };
      if (r.status?.endsWith("FAILED"))
        throw new Error(`runtime version ${ref.version} ${r.status}: ${r.failureReason ?? "no reason given"}`);
      return { state: r.status ?? "unknown" };
    },
    timeoutMs,
    `runtime ${name} version ${ref.version} was not READY`,
  );
  return ref;
}
