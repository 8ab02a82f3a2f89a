import type { FargateRuntime, LocalRuntime } from "./config";

/**
 * The demo agents shipped in agents/ (docs/agent-contract.md), for the seed and `npm run dev`.
 * `runtimeFor(agent, host)` gives each one a runtime on the local host (a child process) or on Fargate
 * (a task definition the local ECS double maps back to the same program; see `demoTaskDefinitions`).
 */
export interface DemoAgent {
  /** Its artifact (agents/<slug>/agent.json), and the Fargate task definition family (`agent-market-<slug>`). */
  slug: string;
  name: string;
  description: string;
  category: string;
  capabilities: string[];
  /** Whether its /invocations answer is streamed (text/event-stream) even without Accept. */
  streams: boolean;
  /** An input that shows what it does, for the UI's "Run" form and the seed. */
  exampleInput: Record<string, unknown>;
}

export const DEMO_AGENTS: readonly DemoAgent[] = [
  {
    slug: "text-stats",
    name: "Text Stats",
    description: "Counts words, sentences and characters, estimates reading time and lists the most frequent words.",
    category: "analysis",
    capabilities: ["text-analysis", "statistics", "reading-time"],
    streams: false,
    exampleInput: { text: "Agents that run anywhere are agents that get used. Run one here." },
  },
  {
    slug: "sentiment",
    name: "Sentiment Scorer",
    description: "Lexicon-based sentiment in [-1, 1] with the words that drove the score; handles simple negation.",
    category: "analysis",
    capabilities: ["sentiment-analysis", "text-classification"],
    streams: false,
    exampleInput: { text: "The new release is great and fast, not buggy at all." },
  },
  {
    slug: "markdown",
    name: "Markdown Renderer",
    description: "Renders markdown (headings, lists, code, emphasis, links) to HTML and streams it block by block.",
    category: "content",
    capabilities: ["markdown", "html", "rendering", "streaming"],
    streams: true,
    exampleInput: { markdown: "# Hello\n\n- one\n- **two**\n\nSee [docs](https://example.com)." },
  },
  {
    slug: "json-csv",
    name: "JSON/CSV Transformer",
    description: "Turns a JSON array of objects into CSV, or CSV into a JSON array, with RFC 4180 quoting.",
    category: "data",
    capabilities: ["json", "csv", "data-transformation"],
    streams: false,
    exampleInput: {
      json: [
        { name: "Ada", role: "engineer" },
        { name: "Linus", role: "maintainer, kernel" },
      ],
    },
  },
];

/** The operator's ECS configuration that `npm run dev` gives the app with the local ECS endpoint (issue 8). */
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

/** A local runtime names the installed artifact (agents/<slug>/agent.json); Fargate a family under the prefix. */
export function runtimeFor(agent: DemoAgent, host: "local" | "fargate"): LocalRuntime | FargateRuntime {
  if (host === "local") return { kind: "local", artifact: agent.slug };
  return { kind: "fargate", task_definition: `${demoTaskFamily(agent)}:1`, container_name: "agent" };
}

/** For `startEcsServer({ taskDefinitions })`: each demo family runs its agent's artifact. */
export function demoTaskDefinitions(): Record<string, { artifact: string }> {
  return Object.fromEntries(DEMO_AGENTS.map((a) => [demoTaskFamily(a), { artifact: a.slug }]));
}
