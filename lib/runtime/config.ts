import { z } from "zod";
import { ARTIFACT_NAME_RE } from "./artifacts-name";
import { userEnvSchema } from "./env-policy";

/**
 * How an agent is hosted (docs/agent-contract.md, Runtime configuration). Validated on write, shown on the
 * agent resource as stored: it never holds a secret, a program, an argv or anything of the operator's account.
 * - local: names an artifact the operator installed (lib/runtime/artifacts.ts). `env` is accepted on write only:
 *   the variables move into the agent's encrypted secrets and never stay in the runtime.
 * - fargate: a task-definition family under the operator's prefix and its container; cluster, subnets, security
 *   groups and roles are the operator's (ECS_* variables), never the request's.
 * - agentcore: a runtime ARN the operator allowed (AGENTCORE_ALLOWED_RUNTIME_ARNS).
 * Every object is strict: `command`, `cluster`, `subnets`... are refused with a 400.
 */
export const localRuntimeSchema = z
  .object({
    kind: z.literal("local"),
    artifact: z.string().regex(ARTIFACT_NAME_RE, "must name an installed artifact (e.g. text-stats)"),
    env: userEnvSchema.optional().describe("Write-only: stored as encrypted secrets, never shown"),
  })
  .strict();

/** `family` or `family:revision`: never an ARN (it could name another account's or another prefix's family). */
export const TASK_DEFINITION_RE = /^[A-Za-z0-9_-]{1,255}(:[1-9][0-9]{0,8})?$/;

export const fargateRuntimeSchema = z
  .object({
    kind: z.literal("fargate"),
    task_definition: z
      .string()
      .regex(TASK_DEFINITION_RE, "must be a task-definition family (optionally :revision) under the operator's prefix"),
    container_name: z
      .string()
      .regex(/^[A-Za-z0-9_-]{1,255}$/, "must be a container name")
      .default("agent"),
  })
  .strict();

export const AGENTCORE_ARN_RE = /^arn:aws:bedrock-agentcore:([a-z0-9-]+):(\d{12}):runtime\/([A-Za-z0-9_-]{1,100})$/;

export const agentcoreRuntimeSchema = z
  .object({
    kind: z.literal("agentcore"),
    runtime_arn: z.string().regex(AGENTCORE_ARN_RE, "must be an AgentCore runtime ARN"),
    qualifier: z
      .string()
      .regex(/^[A-Za-z0-9_-]{1,100}$/)
      .default("DEFAULT"),
    transport: z.enum(["ws", "http"]).default("ws"),
  })
  .strict();

export const runtimeSchema = z.discriminatedUnion("kind", [
  localRuntimeSchema,
  fargateRuntimeSchema,
  agentcoreRuntimeSchema,
]);

export type RuntimeConfig = z.infer<typeof runtimeSchema>;
export type LocalRuntime = z.infer<typeof localRuntimeSchema>;
export type FargateRuntime = z.infer<typeof fargateRuntimeSchema>;
export type AgentcoreRuntime = z.infer<typeof agentcoreRuntimeSchema>;
/** What is stored on the agent: the runtime without the write-only `env`. */
export type StoredRuntime = Exclude<RuntimeConfig, LocalRuntime> | Omit<LocalRuntime, "env">;

/** Splits a runtime as written into what is stored and the owner's variables (which become secrets). */
export function splitRuntime(runtime: RuntimeConfig): { stored: StoredRuntime; env: Record<string, string> } {
  if (runtime.kind !== "local") return { stored: runtime, env: {} };
  const { env, ...stored } = runtime;
  return { stored, env: env ?? {} };
}
