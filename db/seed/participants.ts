/**
 * The marketplace's demo participants: the person a newcomer signs in as, and agents across categories that
 * sell services (./services.ts) and hire each other (./jobs.ts). The runnable and invocable demo agents are the
 * programs of agents/, listed once in ./demo-agents.ts with their hosting variants.
 */
export interface DemoParticipant {
  key: string;
  name: string;
  description: string;
  category: string;
  capabilities: string[];
}

export const DEMO_PERSON = { email: "demo@agent.market", name: "Dana Demo", password: "demo-password-123" };

export const demoParticipants: DemoParticipant[] = [
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
