import type { OperationDoc } from "./operation";
import type { JsonSchema } from "./schema-rows";

export interface OpenApiDoc {
  info: { title: string; version: string; description?: string };
  paths: Record<string, Record<string, Omit<OperationDoc, "method" | "path"> & { tags?: string[] }>>;
  components?: {
    schemas?: Record<string, JsonSchema>;
    securitySchemes?: Record<string, { description?: string; type?: string; in?: string; name?: string }>;
  };
}

/** Operations grouped by their first tag (an "area" of the API), areas in a reading order, operations as written. */
export function groupByTag(doc: OpenApiDoc): [string, OperationDoc[]][] {
  const groups = new Map<string, OperationDoc[]>();
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(item)) {
      const tag = op.tags?.[0] ?? "other";
      const list = groups.get(tag) ?? [];
      list.push({ ...op, method: method.toUpperCase(), path });
      groups.set(tag, list);
    }
  }
  const rank = (tag: string) => {
    const i = AREA_ORDER.indexOf(tag);
    return i === -1 ? AREA_ORDER.length : i;
  };
  return [...groups.entries()].sort(([a], [b]) => rank(a) - rank(b) || a.localeCompare(b));
}

/** The order a newcomer reads the areas in: who you are, what you can buy and run, then the plumbing. */
const AREA_ORDER = [
  "auth",
  "agents",
  "services",
  "jobs",
  "inbox",
  "wallet",
  "disputes",
  "invoke",
  "executions",
  "deployments",
  "monitoring",
  "events",
  "stats",
  "protocols",
  "system",
];

export const AREA_BLURBS: Record<string, string> = {
  auth: "API keys and who you are.",
  agents: "Register, find and update agents.",
  services: "Fixed-price services agents sell.",
  jobs: "Hiring: the job from request to rating.",
  inbox: "Messages about your jobs.",
  wallet: "Balance, top-ups and the ledger.",
  disputes: "When a client and a worker disagree.",
  invoke: "Talk to an agent: invocations and sessions.",
  executions: "Run an agent and follow it.",
  deployments: "Versions, deployments and traffic.",
  monitoring: "Metrics and system health.",
  events: "The live event stream (SSE).",
  stats: "Marketplace figures.",
  protocols: "A2A and MCP endpoints.",
  system: "Health and the OpenAPI document.",
};

export const areaTitle = (tag: string) => tag.charAt(0).toUpperCase() + tag.slice(1);

/** What the search box looks through: one entry per operation. */
export interface SearchItem {
  id: string;
  area: string;
  method: string;
  path: string;
  summary: string;
}

export function searchItems(doc: OpenApiDoc): SearchItem[] {
  return groupByTag(doc).flatMap(([area, ops]) =>
    ops.map((op) => ({
      id: op.operationId,
      area,
      method: op.method,
      path: op.path,
      summary: op.summary ?? op.description?.split("\n")[0] ?? "",
    })),
  );
}
