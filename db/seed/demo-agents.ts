import demoAgents from "./demo-agents.json" with { type: "json" };
import { z } from "zod";
import { inputSchemaSchema } from "@/lib/api/contracts/input-schema";
import type { AgentcoreRuntime, FargateRuntime, LocalRuntime } from "@/lib/runtime/config";

/**
 * The demo agents: the four agent-contract programs shipped in agents/ (docs/agent-contract.md), listed once
 * (./demo-agents.json) with every way the demo hosts them. The seed registers each as a local process, the first
 * Fargate-hosted one on the local ECS endpoint, and each behind an AgentCore runtime ARN of the local AgentCore endpoint; `npm run dev`,
 * the test doubles and the benchmarks start those endpoints from this same list.
 * Plain data, no server-only import: scripts/dev.ts, the doubles and bench/ read it too. (Which programs may run
 * at all is the operator's allow-list, agents/<slug>/agent.json, read by lib/runtime/artifacts.ts.)
 */
const demoAgentSchema = z
  .object({
    /** Its artifact (agents/<slug>/agent.json), and the Fargate task definition family (`agent-market-<slug>`). */
    slug: z.string(),
    name: z.string(),
    description: z.string(),
    category: z.string(),
    capabilities: z.array(z.string()),
    /** Whether the seed also registers it on Fargate (the local ECS endpoint runs every demo family anyway). */
    fargate: z.boolean(),
    /** Its runtime on the local AgentCore endpoint: the runtime id of its ARN and the transport the app uses. */
    agentcore: z.object({ runtimeId: z.string(), transport: z.enum(["ws", "http"]) }),
    /** A configured agent (`<KEY>_AGENT_ARN`, e.g. ONBOARDING_AGENT_ARN) the local AgentCore endpoint serves with this program. */
    configured: z.object({ key: z.enum(["onboarding", "provisioning", "mwc"]), runtimeId: z.string() }).optional(),
    /** The input its versions declare on deploy: the run form is generated from it. */
    inputSchema: inputSchemaSchema,
  })
  .strict();

export type DemoAgent = z.infer<typeof demoAgentSchema>;

/** The list itself is data (./demo-agents.json, beside the participants), checked once as it loads. */
export const DEMO_AGENTS: readonly DemoAgent[] = z.array(demoAgentSchema).parse(demoAgents);

export type DemoHost = "local" | "fargate" | "agentcore";

/** The region and account of the local AgentCore endpoint's runtime ARNs. */
export const LOCAL_AGENTCORE_REGION = "us-east-1";
export const LOCAL_AGENTCORE_ACCOUNT = "123456789012";

export function localAgentCoreArn(runtimeId: string): string {
  return `arn:aws:bedrock-agentcore:${LOCAL_AGENTCORE_REGION}:${LOCAL_AGENTCORE_ACCOUNT}:runtime/${runtimeId}`;
}

/** The operator's ECS configuration that `npm run dev` gives the app with the local ECS endpoint. */
export const DEMO_CLUSTER = "agent-market";
export const DEMO_TASK_PREFIX = "agent-market-";

export function demoEcsOperatorEnv(): Record<string, string> {
  return {
    ECS_CLUSTER: DEMO_CLUSTER,
    ECS_SUBNETS: "subnet-0demo0000000000",
    ECS_SECURITY_GROUPS: "sg-0demo0000000000",
    ECS_TASK_ROLE_ARN: "arn:aws:iam::123456789012:role/agent-market-task",
    ECS_EXECUTION_ROLE_ARN: "arn:aws:iam::123456789012:role/agent-market-task-execution",
    ECS_TASK_DEFINITION_PREFIX: DEMO_TASK_PREFIX,
  };
}

export function demoTaskFamily(agent: Pick<DemoAgent, "slug">): string {
  return `${DEMO_TASK_PREFIX}${agent.slug}`;
}

/** The agent as registered on `host`: its name there and its runtime. */
export function demoVariant(
  agent: DemoAgent,
  host: DemoHost,
): { name: string; runtime: LocalRuntime | FargateRuntime | AgentcoreRuntime } {
  if (host === "local") return { name: agent.name, runtime: { kind: "local", artifact: agent.slug } };
  if (host === "fargate") {
    return {
      name: `${agent.name} (Fargate)`,
      runtime: { kind: "fargate", task_definition: `${demoTaskFamily(agent)}:1`, container_name: "agent" },
    };
  }
  const { runtimeId, transport } = agent.agentcore;
  return {
    name: `${agent.name} (AgentCore${transport === "http" ? ", HTTP" : ""})`,
    runtime: { kind: "agentcore", runtime_arn: localAgentCoreArn(runtimeId), qualifier: "DEFAULT", transport },
  };
}

/** For `startEcsServer({ taskDefinitions })`: each demo family runs its agent's artifact. */
export function demoTaskDefinitions(): Record<string, { artifact: string }> {
  return Object.fromEntries(DEMO_AGENTS.map((a) => [demoTaskFamily(a), { artifact: a.slug }]));
}

/** For the local AgentCore endpoint: every runtime ARN it hosts (demo and configured) and the program behind it. */
export function demoAgentCoreRuntimes(): { runtimeArn: string; artifact: string }[] {
  return DEMO_AGENTS.flatMap((a) => [
    { runtimeArn: localAgentCoreArn(a.agentcore.runtimeId), artifact: a.slug },
    ...(a.configured ? [{ runtimeArn: localAgentCoreArn(a.configured.runtimeId), artifact: a.slug }] : []),
  ]);
}

/** The configured agents' variables (`ONBOARDING_AGENT_ARN`, ...) pointing at the local AgentCore endpoint. */
export function demoConfiguredAgentEnv(): Record<string, string> {
  return Object.fromEntries(
    DEMO_AGENTS.flatMap((a) =>
      a.configured ? [[`${a.configured.key.toUpperCase()}_AGENT_ARN`, localAgentCoreArn(a.configured.runtimeId)]] : [],
    ),
  );
}

/** What `npm run dev` allows (AGENTCORE_ALLOWED_RUNTIME_ARNS): exactly the demo runtimes of the local endpoint. */
export function demoAllowedRuntimeArns(): string {
  return DEMO_AGENTS.map((a) => localAgentCoreArn(a.agentcore.runtimeId)).join(",");
}
