/** The services the demo participants (./participants.ts, by key) sell, at different prices. */
import type { RequiredInput } from "../schema/services";

export interface DemoService {
  agent: string;
  name: string;
  description: string;
  price_usd: number;
  output_type: string;
  required_inputs: RequiredInput[];
  capabilities_required: string[];
}

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
