import "server-only";
import { asc, and, eq } from "drizzle-orm";
import type { AgentCard, AgentSkill, SecurityRequirement, SecurityScheme } from "@a2a-js/sdk";
import { getDb } from "@/db/client";
import { services } from "@/db/schema";
import type { AgentRow } from "@/lib/market/agents";
import { serviceColumns } from "@/lib/market/services";
import { centsToUsd } from "@/lib/ledger/money";

/** The most skills one card lists: a card is fetched often and must stay small. */
export const MAX_CARD_SKILLS = 100;

/** Where the pricing extension is described; its params carry each skill's price and terms. */
export const PRICING_EXTENSION_URI = "https://agent-market.dev/a2a/extensions/pricing/v1";

export const A2A_VERSIONS = ["1.0", "0.3"] as const;

const API_KEY_HELP = "An Agent Market API key (agmkt_sk_...), the same key and scopes as the REST API";

const SECURITY_SCHEMES: Record<string, SecurityScheme> = {
  agentKey: {
    scheme: {
      $case: "apiKeySecurityScheme",
      value: { description: API_KEY_HELP, location: "header", name: "X-Agent-Key" },
    },
  },
  bearer: {
    scheme: {
      $case: "httpAuthSecurityScheme",
      value: { description: API_KEY_HELP, scheme: "Bearer", bearerFormat: "agmkt_sk_..." },
    },
  },
  session: {
    scheme: {
      $case: "apiKeySecurityScheme",
      value: {
        description: "A signed-in person's session (the web app's cookie)",
        location: "cookie",
        name: "next-auth.session-token",
      },
    },
  },
};

/** Any one of the schemes will do. */
const SECURITY_REQUIREMENTS: SecurityRequirement[] = Object.keys(SECURITY_SCHEMES).map((name) => ({
  schemes: { [name]: { list: [] } },
}));

/** What every card of the market shares: the JSON-RPC binding in both versions, security, provider. */
function baseCard(
  origin: string,
  endpointPath: string,
): Omit<AgentCard, "name" | "description" | "skills" | "capabilities"> {
  const url = `${origin}${endpointPath}`;
  return {
    supportedInterfaces: A2A_VERSIONS.map((protocolVersion) => ({
      url,
      protocolBinding: "JSONRPC",
      tenant: "",
      protocolVersion,
    })),
    provider: { organization: "Agent Market", url: origin },
    version: "1.0.0",
    documentationUrl: `${origin}/docs`,
    securitySchemes: SECURITY_SCHEMES,
    securityRequirements: SECURITY_REQUIREMENTS,
    defaultInputModes: ["application/json", "text/plain"],
    defaultOutputModes: ["text/plain"],
    signatures: [],
  };
}

type ServiceRow = Pick<
  typeof services.$inferSelect,
  "id" | "name" | "description" | "priceCents" | "outputType" | "requiredInputs" | "capabilitiesRequired"
>;

function skillOf(s: ServiceRow): AgentSkill {
  const example = Object.fromEntries(s.requiredInputs.map((i) => [i.name, `<${i.type}>`]));
  return {
    id: s.id,
    name: s.name,
    description: `${s.description || s.name} ($${centsToUsd(s.priceCents).toFixed(2)}, paid from escrow on acceptance)`,
    tags: s.capabilitiesRequired,
    examples: s.requiredInputs.length ? [JSON.stringify(example)] : [],
    inputModes: ["application/json", "text/plain"],
    outputModes: [s.outputType === "text" ? "text/plain" : s.outputType],
    securityRequirements: [],
  };
}

/** An agent's active services, oldest first (a stable order keeps the ETag stable). */
export async function activeServices(agentId: string): Promise<ServiceRow[]> {
  const db = await getDb();
  return db
    .select(serviceColumns)
    .from(services)
    .where(and(eq(services.agentId, agentId), eq(services.active, true)))
    .orderBy(asc(services.createdAt), asc(services.id))
    .limit(MAX_CARD_SKILLS);
}

/**
 * One agent's card: its active services are its skills, their prices and terms in the pricing extension; the
 * JSON-RPC endpoint is /api/agents/{id}/a2a.
 */
export function agentCard(agent: AgentRow, rows: ServiceRow[], origin: string): AgentCard {
  const terms = Object.fromEntries(
    rows.map((s) => [
      s.id,
      {
        price_usd: centsToUsd(s.priceCents),
        price_cents: s.priceCents,
        required_inputs: s.requiredInputs,
        output_type: s.outputType,
      },
    ]),
  );
  return {
    ...baseCard(origin, `/api/agents/${agent.id}/a2a`),
    name: agent.name,
    description: agent.description || `${agent.name} on Agent Market`,
    capabilities: {
      streaming: true,
      pushNotifications: true,
      extendedAgentCard: false,
      extensions: [
        {
          uri: PRICING_EXTENSION_URI,
          description:
            "Price and terms of each skill (keyed by skill id). A message that names a skill hires it: the price is " +
            "held in escrow at once, paid to the agent when the client accepts, refunded if cancelled before work starts.",
          required: false,
          params: { currency: "USD", settlement: "escrow", delivery: "asynchronous", skills: terms },
        },
      ],
    },
    skills: rows.map(skillOf),
  };
}

const MARKET_SKILLS: AgentSkill[] = [
  {
    id: "search_services",
    name: "Search the catalogue",
    description: "The text of the message is the search; the answer is a message with the matching services as data",
    tags: ["search", "catalogue"],
    examples: ["translation into German"],
    inputModes: ["text/plain"],
    outputModes: ["application/json"],
    securityRequirements: [],
  },
  {
    id: "hire",
    name: "Hire a service",
    description:
      'Send a message with metadata {"skill_id": "<service id>"} and the job\'s input_data as a data part: the ' +
      "service is hired and the job comes back as a task. Each agent also has its own card: /api/agents/{id}/a2a/agent-card.json",
    tags: ["hire", "jobs"],
    examples: [],
    inputModes: ["application/json", "text/plain"],
    outputModes: ["text/plain"],
    securityRequirements: [],
  },
  {
    id: "follow_jobs",
    name: "Follow jobs",
    description:
      "GetTask, ListTasks and SubscribeToTask over the caller's jobs; accept a delivery with a follow-up message",
    tags: ["jobs"],
    examples: [],
    inputModes: ["application/json"],
    outputModes: ["text/plain"],
    securityRequirements: [],
  },
];

/** The marketplace's own card: search, hire any service, follow jobs, at /api/a2a. */
export function marketplaceCard(origin: string): AgentCard {
  return {
    ...baseCard(origin, "/api/a2a"),
    name: "Agent Market",
    description: "A marketplace of AI agents: find a service, hire it, follow the job and accept the deliverable.",
    capabilities: { streaming: true, pushNotifications: true, extendedAgentCard: false, extensions: [] },
    skills: MARKET_SKILLS,
  };
}
