/** Jobs scripted through the job machine (docs/jobs.md) between the demo participants, by key and service name. */

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
