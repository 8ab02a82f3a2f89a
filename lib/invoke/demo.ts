/**
 * The demo agents hosted on the local AgentCore endpoint (`npm run dev` without AWS, tests, benchmarks): real
 * agent-contract programs under agents/, each behind a runtime ARN in the local region. The seed's three
 * configured agents (onboarding, provisioning, mwc) are served by the same programs so that they work offline.
 * Plain data, no server-only import: scripts/dev.ts and db/seed.ts read it too.
 */
export const LOCAL_AGENTCORE_REGION = "us-east-1";
export const LOCAL_AGENTCORE_ACCOUNT = "123456789012";

export interface DemoAgentCoreAgent {
  /** Short name, also the configured key for the seed's agents. */
  key: string;
  name: string;
  description: string;
  capabilities: string[];
  category: string;
  runtimeArn: string;
  transport: "ws" | "http";
  /** The installed artifact (agents/<name>/agent.json) the local endpoint runs for this runtime. */
  artifact: string;
  /** A prompt that shows what the agent does. */
  examplePrompt: string;
}

const arn = (id: string) =>
  `arn:aws:bedrock-agentcore:${LOCAL_AGENTCORE_REGION}:${LOCAL_AGENTCORE_ACCOUNT}:runtime/${id}`;

/** Marketplace agents whose runtime is `{ kind: "agentcore", runtime_arn, transport }`. */
export const DEMO_AGENTCORE_AGENTS: DemoAgentCoreAgent[] = [
  {
    key: "markdown-live",
    name: "Markdown Renderer (AgentCore)",
    description: "Renders markdown to HTML and streams it back block by block.",
    capabilities: ["markdown", "html", "rendering"],
    category: "content",
    runtimeArn: arn("MarkdownRenderer_Agent-Loc4lMd001"),
    transport: "ws",
    artifact: "markdown",
    examplePrompt: "# Release notes\n\n- faster search\n- **streamed** answers",
  },
  {
    key: "text-stats-live",
    name: "Text Stats (AgentCore)",
    description: "Counts words and sentences, estimates reading time and lists the top words; remembers the turn.",
    capabilities: ["text-analysis", "statistics"],
    category: "analysis",
    runtimeArn: arn("TextStats_Agent-Loc4lTs002"),
    transport: "ws",
    artifact: "text-stats",
    examplePrompt: "Agents that answer quickly are agents people keep using.",
  },
  {
    key: "sentiment-live",
    name: "Sentiment (AgentCore, HTTP)",
    description: "Scores the sentiment of a text and names the words that drove it (invoked over HTTPS).",
    capabilities: ["sentiment", "text-analysis"],
    category: "analysis",
    runtimeArn: arn("Sentiment_Agent-Loc4lSe003"),
    transport: "http",
    artifact: "sentiment",
    examplePrompt: "The new dashboard is great, but the export is slow.",
  },
  {
    key: "json-csv-live",
    name: "JSON <-> CSV (AgentCore, HTTP)",
    description: "Turns a JSON array of objects into CSV and CSV back into JSON.",
    capabilities: ["json", "csv", "data-transformation"],
    category: "data",
    runtimeArn: arn("JsonCsv_Agent-Loc4lJc004"),
    transport: "http",
    artifact: "json-csv",
    examplePrompt: '[{"name":"Ada","role":"engineer"},{"name":"Grace","role":"admiral"}]',
  },
];

/** The seed's configured agents (`ONBOARDING_AGENT_ARN`, ...) as the local endpoint hosts them. */
export const DEMO_CONFIGURED_AGENTS: {
  key: "onboarding" | "provisioning" | "mwc";
  envVar: string;
  runtimeArn: string;
  artifact: string;
}[] = [
  {
    key: "onboarding",
    envVar: "ONBOARDING_AGENT_ARN",
    runtimeArn: arn("OnboardingAgent_Agent-Pgs8nUGuuS"),
    artifact: "markdown",
  },
  {
    key: "provisioning",
    envVar: "PROVISIONING_AGENT_ARN",
    runtimeArn: arn("ProvisioningAgent_Agent-Abc123XyZ"),
    artifact: "json-csv",
  },
  {
    key: "mwc",
    envVar: "MWC_AGENT_ARN",
    runtimeArn: arn("MWCAgent_Agent-Def456UvW"),
    artifact: "text-stats",
  },
];

/** What `npm run dev` allows (AGENTCORE_ALLOWED_RUNTIME_ARNS): exactly the demo runtimes of the local endpoint. */
export function demoAllowedRuntimeArns(): string {
  return DEMO_AGENTCORE_AGENTS.map((a) => a.runtimeArn).join(",");
}
