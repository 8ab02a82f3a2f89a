import { z } from "zod";

/**
 * How an agent is hosted (issue 3 / seed 000 and seed 004). Validated on write, shown on the agent
 * resource as is: it never holds a secret (AWS credentials come from the provider chain).
 */
const envName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, "must be an environment variable name");

export const localRuntimeSchema = z
  .object({
    kind: z.literal("local"),
    /** argv of the process; the first element is the program (e.g. ["node", "agents/text-stats/server.mjs"]). */
    command: z.array(z.string().min(1).max(1000)).min(1).max(64),
    env: z.record(envName, z.string().max(4000)).optional(),
  })
  .strict();

export const fargateRuntimeSchema = z
  .object({
    kind: z.literal("fargate"),
    cluster: z.string().min(1).max(2048),
    task_definition: z.string().min(1).max(2048),
    container_name: z.string().min(1).max(255),
    subnets: z
      .array(z.string().regex(/^subnet-[0-9a-zA-Z]+$/, "must be a subnet id"))
      .min(1)
      .max(16),
    security_groups: z
      .array(z.string().regex(/^sg-[0-9a-zA-Z]+$/, "must be a security group id"))
      .max(5)
      .default([]),
    assign_public_ip: z.boolean().default(false),
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
