import "server-only";
import {
  CreateAgentRuntimeEndpointCommand,
  GetAgentRuntimeEndpointCommand,
  UpdateAgentRuntimeEndpointCommand,
  type GetAgentRuntimeEndpointCommandOutput,
} from "@aws-sdk/client-bedrock-agentcore-control";
import { withThrottleRetry } from "@/lib/runtime/hosts/ecs-client";
import { pollUntil } from "../rows";
import { agentCoreClients } from "./clients";
import { isNotFound, type RuntimeVersionRef } from "./runtime";

/**
 * An environment's endpoints on the agent's runtime: `<env>` serves the live version, `<env>_next` a canary or the
 * green side of blue/green until it is promoted onto `<env>`.
 */
export const mainEndpoint = (environment: string) => environment;
export const nextEndpoint = (environment: string) => `${environment}_next`;

export async function getEndpoint(
  runtimeId: string,
  name: string,
): Promise<GetAgentRuntimeEndpointCommandOutput | null> {
  const { control } = agentCoreClients();
  return withThrottleRetry(() =>
    control.send(new GetAgentRuntimeEndpointCommand({ agentRuntimeId: runtimeId, endpointName: name })),
  ).catch((err: unknown) => {
    if (isNotFound(err)) return null;
    throw err;
  });
}

/** Points endpoint `name` at the runtime version (creating it the first time) and waits until it serves it. */
export async function pointEndpoint(ref: RuntimeVersionRef, name: string, timeoutMs: number): Promise<void> {
  const { control } = agentCoreClients();
  const current = await getEndpoint(ref.runtimeId, name);
  if (!current) {
    await withThrottleRetry(() =>
      control.send(
        new CreateAgentRuntimeEndpointCommand({
          agentRuntimeId: ref.runtimeId,
          name,
          agentRuntimeVersion: ref.version,
        }),
      ),
    );
  } else if (current.liveVersion !== ref.version || current.status !== "READY") {
    await withThrottleRetry(() =>
      control.send(
        new UpdateAgentRuntimeEndpointCommand({
          agentRuntimeId: ref.runtimeId,
          endpointName: name,
          agentRuntimeVersion: ref.version,
        }),
      ),
    );
  }
  await pollUntil(
    async () => {
      const e = await getEndpoint(ref.runtimeId, name);
      if (e?.status === "READY" && e.liveVersion === ref.version) return { done: true };
      if (e?.status?.endsWith("FAILED")) {
        throw new Error(`endpoint ${name} ${e.status}: ${e.failureReason ?? "no reason given"}`);
      }
      return { state: `${e?.status ?? "missing"}, serving version ${e?.liveVersion ?? "none"}` };
    },
    timeoutMs,
    `endpoint ${name} did not become READY with version ${ref.version}`,
  );
}
