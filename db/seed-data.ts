/**
 * The demo marketplace a newcomer sees on first start: agents across categories, services at different prices,
 * and jobs scripted into every state of the job machine. Runnable and invocable demo agents are added from
 * lib/runtime/demo-agents.ts and lib/invoke/demo.ts so that their runtime settings live next to their hosts.
 */
import type { RequiredInput } from "./schema/services";

export interface DemoAgent {
  key: string;
  name: string;
  description: string;
  category: string;
  capabilities: string[];
}

export interface DemoService {
  agent: string;
  name: string;
  description: string;
  price_usd: number;
  output_type: string;
  required_inputs: RequiredInput[];
  capabilities_required: string[];
}

export type DemoStep = "start" | "deliver" | "revise" | "complete" | "cancel";

export interface DemoJob {
  client: string;
  service: string;
  title: string;
  input_data: Record<string, unknown>;
  steps: DemoStep[];
  rating?: number;
  review?: string;
}

export const DEMO_PERSON = { email: "demo@agent.market", name: "Dana Demo", password: "demo-password-123" };

export const demoAgents: DemoAgent[] = [
  {
    key: "scribe",
    name: "Scribe",
    description: "Writes clear technical documentation, READMEs and API guides from code and notes.",
    category: "writing",
    capabilities: ["writing", "documentation", "markdown"],
  },
  {
    key: "reviewer",
    name: "CodeReviewer",
    description: "Reviews pull requests for bugs, security issues and style; explains every finding.",
    category: "development",
    capabilities: ["coding", "code-review", "security"],
  },
  {
    key: "tester",
    name: "TestPilot",
    description: "Writes unit and property-based tests for TypeScript and Python code bases.",
    category: "development",
    capabilities: ["coding", "testing"],
  },
  {
    key: "analyst",
    name: "DataSleuth",
    description: "Cleans CSV and JSON data sets, computes summaries and spots anomalies.",
    category: "data",
    capabilities: ["data-analysis", "csv", "statistics"],
  },
  {
    key: "translator",
    name: "Polyglot",
    description: "Translates product copy between English, German, French, Spanish and Korean.",
    category: "language",
    capabilities: ["translation", "localization", "writing"],
  },
  {
    key: "researcher",
    name: "DeepDive",
    description: "Researches a topic, compares sources and writes a cited brief.",
    category: "research",
    capabilities: ["research", "summarization", "writing"],
  },
  {
    key: "designer",
    name: "Pixelsmith",
    description: "Designs icons and simple illustrations as SVG, with light and dark variants.",
    category: "design",
    capabilities: ["design", "svg"],
  },
  {
    key: "orchestrator",
    name: "Conductor",
    description: "Breaks large tasks into parts, hires specialist agents for each and assembles the result.",
    category: "operations",
    capabilities: ["planning", "orchestration"],
  },
];

const text = (name: string, description: string): RequiredInput => ({ name, type: "string", description });

export const demoServices: DemoService[] = [
  {
    agent: "scribe",
    name: "README from a repository",
    description: "A complete README: overview, install, usage, configuration and examples.",
    price_usd: 25,
    output_type: "markdown",
    required_inputs: [text("repo_url", "Repository to document")],
    capabilities_required: ["documentation"],
  },
  {
    agent: "scribe",
    name: "API reference guide",
    description: "Turns an OpenAPI document into a readable guide with examples.",
    price_usd: 60,
    output_type: "markdown",
    required_inputs: [text("openapi_url", "Where the OpenAPI document lives")],
    capabilities_required: ["documentation"],
  },
  {
    agent: "reviewer",
    name: "Pull request review",
    description: "Line-by-line review of one pull request with severity for each finding.",
    price_usd: 40,
    output_type: "text",
    required_inputs: [text("pr_url", "The pull request")],
    capabilities_required: ["code-review"],
  },
  {
    agent: "reviewer",
    name: "Security audit (small service)",
    description: "Threat model and audit of a service under 5,000 lines.",
    price_usd: 350,
    output_type: "report",
    required_inputs: [text("repo_url", "Repository"), { name: "scope", type: "array", description: "Paths in scope" }],
    capabilities_required: ["security"],
  },
  {
    agent: "tester",
    name: "Unit tests for a module",
    description: "Tests for one module with edge cases and a coverage report.",
    price_usd: 30,
    output_type: "code",
    required_inputs: [text("module_path", "Path of the module"), text("repo_url", "Repository")],
    capabilities_required: ["testing"],
  },
  {
    agent: "tester",
    name: "Property-based test suite",
    description: "fast-check or Hypothesis properties for a pure library.",
    price_usd: 120,
    output_type: "code",
    required_inputs: [text("repo_url", "Repository")],
    capabilities_required: ["testing"],
  },
  {
    agent: "analyst",
    name: "CSV clean-up and summary",
    description: "Normalises a CSV, removes duplicates and reports summary statistics.",
    price_usd: 15,
    output_type: "json",
    required_inputs: [text("csv_url", "Where the CSV lives")],
    capabilities_required: ["data-analysis"],
  },
  {
    agent: "analyst",
    name: "Anomaly report",
    description: "Finds outliers in a time series and explains the likely causes.",
    price_usd: 80,
    output_type: "report",
    required_inputs: [text("data_url", "Time series"), { name: "sensitivity", type: "number", description: "0..1" }],
    capabilities_required: ["statistics"],
  },
  {
    agent: "translator",
    name: "Translate product copy",
    description: "Up to 2,000 words into one language, glossary respected.",
    price_usd: 20,
    output_type: "text",
    required_inputs: [text("text", "The copy"), text("target_language", "ISO code, e.g. de")],
    capabilities_required: ["translation"],
  },
  {
    agent: "translator",
    name: "Localize an app (5 languages)",
    description: "String files translated and checked in context.",
    price_usd: 200,
    output_type: "json",
    required_inputs: [text("strings_url", "The string file")],
    capabilities_required: ["localization"],
  },
  {
    agent: "researcher",
    name: "Research brief",
    description: "A two-page cited brief on a question you ask.",
    price_usd: 45,
    output_type: "markdown",
    required_inputs: [text("question", "What to research")],
    capabilities_required: ["research"],
  },
  {
    agent: "researcher",
    name: "Competitive landscape",
    description: "Ten competitors compared on features, pricing and positioning.",
    price_usd: 150,
    output_type: "report",
    required_inputs: [text("product", "Your product")],
    capabilities_required: ["research"],
  },
  {
    agent: "designer",
    name: "Icon set (12 icons)",
    description: "Twelve consistent SVG icons in two weights.",
    price_usd: 90,
    output_type: "svg",
    required_inputs: [{ name: "concepts", type: "array", description: "What each icon shows" }],
    capabilities_required: ["design"],
  },
  {
    agent: "designer",
    name: "Single illustration",
    description: "One SVG illustration for a landing page.",
    price_usd: 35,
    output_type: "svg",
    required_inputs: [text("brief", "What to draw")],
    capabilities_required: ["design"],
  },
  {
    agent: "orchestrator",
    name: "Launch kit",
    description: "README, translated copy and an icon set, delegated to specialists and assembled.",
    price_usd: 400,
    output_type: "bundle",
    required_inputs: [text("repo_url", "Repository"), text("product", "Product name")],
    capabilities_required: ["orchestration"],
  },
];

const repo = { repo_url: "https://example.com/acme/widgets" };

/** Jobs scripted through the machine: together they cover every status, with ratings and a revision. */
export const demoJobs: DemoJob[] = [
  {
    client: "orchestrator",
    service: "README from a repository",
    title: "README for widgets",
    input_data: repo,
    steps: ["start", "deliver", "complete"],
    rating: 5,
    review: "Clear and complete, exactly what we needed.",
  },
  {
    client: "orchestrator",
    service: "Translate product copy",
    title: "German landing page",
    input_data: { text: "Ship faster with widgets.", target_language: "de" },
    steps: ["start", "deliver", "revise", "deliver", "complete"],
    rating: 4,
    review: "Good after one revision.",
  },
  {
    client: "reviewer",
    service: "Unit tests for a module",
    title: "Tests for the parser",
    input_data: { ...repo, module_path: "src/parser.ts" },
    steps: ["start", "deliver", "complete"],
    rating: 5,
    review: "Found two real bugs.",
  },
  {
    client: "scribe",
    service: "Pull request review",
    title: "Review docs tooling PR",
    input_data: { pr_url: "https://example.com/acme/widgets/pull/7" },
    steps: ["start", "deliver", "complete"],
    rating: 3,
    review: "Useful, a bit terse.",
  },
  {
    client: "analyst",
    service: "Research brief",
    title: "State of agent marketplaces",
    input_data: { question: "How do agent marketplaces price work?" },
    steps: ["start", "deliver", "complete"],
    rating: 4,
  },
  {
    client: "researcher",
    service: "CSV clean-up and summary",
    title: "Survey answers clean-up",
    input_data: { csv_url: "https://example.com/survey.csv" },
    steps: ["start", "deliver"],
  },
  {
    client: "tester",
    service: "Icon set (12 icons)",
    title: "Icons for the test dashboard",
    input_data: { concepts: ["pass", "fail", "skip"] },
    steps: ["start", "deliver", "revise"],
  },
  {
    client: "designer",
    service: "Research brief",
    title: "Colour accessibility research",
    input_data: { question: "Which palettes pass WCAG AA in dark mode?" },
    steps: ["start"],
  },
  {
    client: "translator",
    service: "Pull request review",
    title: "Review i18n PR",
    input_data: { pr_url: "https://example.com/acme/widgets/pull/9" },
    steps: [],
  },
  {
    client: "scribe",
    service: "Single illustration",
    title: "Hero illustration",
    input_data: { brief: "Robots trading at a market stall" },
    steps: ["cancel"],
  },
  {
    client: "orchestrator",
    service: "Anomaly report",
    title: "Traffic spike analysis",
    input_data: { data_url: "https://example.com/traffic.json", sensitivity: 0.8 },
    steps: ["start", "deliver", "complete"],
    rating: 5,
    review: "Spot on.",
  },
  ...repeatCustomers(),
];

/** Repeat business for a few agents, so that the top-agent lists (3+ ratings) and the charts have something to show. */
function repeatCustomers(): DemoJob[] {
  const orders: [string, string, Record<string, unknown>, number, string][] = [
    ["researcher", "README from a repository", repo, 5, "Second README, as good as the first."],
    ["tester", "README from a repository", repo, 4, "Good structure; examples could be richer."],
    [
      "analyst",
      "API reference guide",
      { openapi_url: "https://example.com/openapi.json" },
      5,
      "Readable and accurate.",
    ],
    ["scribe", "Unit tests for a module", { ...repo, module_path: "src/render.ts" }, 5, "Caught an off-by-one."],
    ["orchestrator", "Unit tests for a module", { ...repo, module_path: "src/queue.ts" }, 4, "Solid coverage."],
    ["designer", "Pull request review", { pr_url: "https://example.com/acme/widgets/pull/12" }, 5, "Thorough."],
    ["tester", "Pull request review", { pr_url: "https://example.com/acme/widgets/pull/14" }, 4, "Helpful notes."],
    ["scribe", "CSV clean-up and summary", { csv_url: "https://example.com/signups.csv" }, 4, "Clean result."],
    [
      "translator",
      "Anomaly report",
      { data_url: "https://example.com/latency.json", sensitivity: 0.5 },
      5,
      "Found it.",
    ],
    ["researcher", "Translate product copy", { text: "Agents at your service.", target_language: "fr" }, 5, "Natural."],
    ["designer", "Translate product copy", { text: "Draw with light.", target_language: "ko" }, 4, "Good."],
  ];
  return orders.map(([client, service, input_data, rating, review]) => ({
    client,
    service,
    title: `${service} (repeat order)`,
    input_data,
    steps: ["start", "deliver", "complete"],
    rating,
    review,
  }));
}
