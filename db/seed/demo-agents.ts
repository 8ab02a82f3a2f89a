import type { InputSchema } from "@/lib/api/contracts/input-schema";
import type { AgentcoreRuntime, FargateRuntime, LocalRuntime } from "@/lib/runtime/config";

/**
 * The demo agents: the four agent-contract programs shipped in agents/ (docs/agent-contract.md), listed once with
 * every way the demo hosts them. The seed registers each as a local process, the first Fargate-hosted one on the
 * local ECS endpoint, and each behind an AgentCore runtime ARN of the local AgentCore endpoint; `npm run dev`,
 * the test doubles and the benchmarks start those endpoints from this same list.
 * Plain data, no server-only import: scripts/dev.ts, the doubles and bench/ read it too. (Which programs may run
 * at all is the operator's allow-list, agents/<slug>/agent.json, read by lib/runtime/artifacts.ts.)
 */
export interface DemoAgent {
  /** Its artifact (agents/<slug>/agent.json), and the Fargate task definition family (`agent-market-<slug>`). */
  slug: string;
  name: string;
  description: string;
  category: string;
  capabilities: string[];
  /** Whether the seed also registers it on Fargate (the local ECS endpoint runs every demo family anyway). */
  fargate: boolean;
  /** Its runtime on the local AgentCore endpoint: the runtime id of its ARN and the transport the app uses. */
  agentcore: { runtimeId: string; transport: "ws" | "http" };
  /** A configured agent (`<KEY>_AGENT_ARN`, e.g. ONBOARDING_AGENT_ARN) the local AgentCore endpoint serves with this program. */
  configured?: { key: "onboarding" | "provisioning" | "mwc"; runtimeId: string };
  /** The input its versions declare on deploy: the run form is generated from it. */
  inputSchema: InputSchema;
}

const textInput = (title: string, description: string, field = "text"): InputSchema => ({
  type: "object",
  properties: { [field]: { type: "string", format: "textarea", title, description } },
  required: [field],
});

export const DEMO_AGENTS: readonly DemoAgent[] = [
  {
    slug: "text-stats",
    inputSchema: textInput("Text", "The text to count words, sentences and characters in"),
    name: "Text Stats",
    description: "Counts words, sentences and characters, estimates reading time and lists the most frequent words.",
    category: "analysis",
    capabilities: ["text-analysis", "statistics", "reading-time"],
    fargate: true,
    agentcore: { runtimeId: "TextStats_Agent-Loc4lTs002", transport: "ws" },
    configured: { key: "mwc", runtimeId: "MWCAgent_Agent-Def456UvW" },
  },
  {
    slug: "sentiment",
    inputSchema: textInput("Text", "The text to score"),
    name: "Sentiment Scorer",
    description: "Lexicon-based sentiment in [-1, 1] with the words that drove the score; handles simple negation.",
    category: "analysis",
    capabilities: ["sentiment-analysis", "text-classification"],
    fargate: false,
    agentcore: { runtimeId: "Sentiment_Agent-Loc4lSe003", transport: "http" },
  },
  {
    slug: "markdown",
    inputSchema: textInput("Markdown", "The markdown to render to HTML", "markdown"),
    name: "Markdown Renderer",
    description: "Renders markdown (headings, lists, code, emphasis, links) to HTML and streams it block by block.",
    category: "content",
    capabilities: ["markdown", "html", "rendering", "streaming"],
    fargate: false,
    agentcore: { runtimeId: "MarkdownRenderer_Agent-Loc4lMd001", transport: "ws" },
    configured: { key: "onboarding", runtimeId: "OnboardingAgent_Agent-Pgs8nUGuuS" },
  },
  {
    slug: "json-csv",
    inputSchema: {
      type: "object",
      properties: {
        csv: { type: "string", format: "textarea", title: "CSV", description: "CSV text to turn into JSON" },
        json: {
          type: "array",
          items: { type: "object" },
          title: "JSON",
          description: "An array of objects to turn into CSV",
        },
      },
    },
    name: "JSON/CSV Transformer",
    description: "Turns a JSON array of objects into CSV, or CSV into a JSON array, with RFC 4180 quoting.",
    category: "data",
    capabilities: ["json", "csv", "data-transformation"],
    fargate: false,
    agentcore: { runtimeId: "JsonCsv_Agent-Loc4lJc004", transport: "http" },
    configured: { key: "provisioning", runtimeId: "ProvisioningAgent_Agent-Abc123XyZ" },
  },
];

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
