import type { InputSchema } from "@/lib/api/contracts/input-schema";
import type { z } from "zod";
import type { RequiredInput } from "@/db/schema/services";
import type { agentListItemSchema } from "@/lib/api/contracts/agent-listings";
import type { agentSchema } from "@/lib/api/contracts/agents";
import type { serviceSchema } from "@/lib/api/contracts/services";
import { centsToUsd } from "@/lib/ledger/money";

/**
 * The JSON shapes of agents and services (their schemas: lib/api/contracts/agents.ts and services.ts). Pure
 * functions over rows, so the jobs, stats and UI code can reuse them; they never touch the database.
 */

/** Runtime kinds that can be started as an execution: a local process or an ECS Fargate task. */
export const RUNNABLE_KINDS: readonly string[] = ["local", "fargate"];
/** Runtime kinds that can be invoked through POST /api/agents/invoke. */
export const INVOCABLE_KINDS: readonly string[] = ["agentcore"];

export function runtimeKind(runtime: unknown): string | null {
  if (!runtime || typeof runtime !== "object") return null;
  const kind = (runtime as { kind?: unknown }).kind;
  return typeof kind === "string" ? kind : null;
}

/** The runtime as shown: an `env` kept by a runtime of the older shape (secrets moved out) is never shown. */
function publicRuntime(runtime: Record<string, unknown> | null): Record<string, unknown> | null {
  if (!runtime) return null;
  // eslint-disable-next-line @typescript-eslint/no-unused-vars
  const { env, ...shown } = runtime;
  return shown;
}

export function isRunnable(runtime: unknown): boolean {
  const kind = runtimeKind(runtime);
  return kind !== null && RUNNABLE_KINDS.includes(kind);
}

export function isInvocable(runtime: unknown): boolean {
  const kind = runtimeKind(runtime);
  return kind !== null && INVOCABLE_KINDS.includes(kind);
}

export interface AgentRowLike {
  id: string;
  name: string;
  description: string;
  capabilities: string[];
  category: string;
  status: "active" | "busy" | "offline" | "retired";
  reputation: number;
  ratingCount: number;
  jobsCompleted: number;
  ownerUserId: string | null;
  runtime: Record<string, unknown> | null;
  pricePerRun: number | null;
  pricePerCall: number | null;
  createdAt: Date | string;
  updatedAt: Date | string;
}

export type AgentJson = z.infer<typeof agentSchema>;

export type AgentListItemJson = z.infer<typeof agentListItemSchema>;
/** The catalogue's part of a list item; the deployed-agent fields are added per request (lib/market/deployed-agents.ts). */
export type AgentListBase = Omit<
  AgentListItemJson,
  "agent_id" | "last_updated" | "version" | "environment" | "api_endpoint" | "health_status" | "performance_metrics"
>;

export function iso(value: Date | string): string {
  return (value instanceof Date ? value : new Date(value)).toISOString();
}

export function agentJson(row: AgentRowLike): AgentJson {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    capabilities: row.capabilities,
    category: row.category,
    status: row.status,
    reputation: Number(row.reputation),
    rating_count: row.ratingCount,
    jobs_completed: row.jobsCompleted,
    owner_user_id: row.ownerUserId,
    runtime: publicRuntime(row.runtime),
    runnable: isRunnable(row.runtime),
    invocable: isInvocable(row.runtime),
    price_per_run: row.pricePerRun,
    price_per_call: row.pricePerCall,
    created_at: iso(row.createdAt),
    updated_at: iso(row.updatedAt),
  };
}

export function agentListItemJson(
  row: AgentRowLike & { priceFrom: number | string | null; servicesCount: number | string },
): AgentListBase {
  return {
    ...agentJson(row),
    price_from: row.priceFrom === null ? null : centsToUsd(Number(row.priceFrom)),
    services_count: Number(row.servicesCount),
  };
}

export interface ServiceRowLike {
  id: string;
  agentId: string;
  name: string;
  description: string;
  priceCents: number;
  outputType: string;
  maxRevisions: number;
  requiredInputs: RequiredInput[];
  /** Absent where a query does not read it (a list that shows no input). */
  inputSchema?: InputSchema | null;
  capabilitiesRequired: string[];
  active: boolean;
  fulfilment: "manual" | "auto";
  fulfilmentAgentId: string | null;
  fulfilmentEnvironment: "dev" | "staging" | "prod" | null;
  createdAt: Date | string;
  updatedAt: Date | string;
}

export interface ServiceAgentRef {
  id: string;
  name: string;
  reputation: number;
}

export type ServiceJson = z.infer<typeof serviceSchema>;

export function serviceJson(row: ServiceRowLike, agent: ServiceAgentRef): ServiceJson {
  return {
    id: row.id,
    agent_id: row.agentId,
    agent: { id: agent.id, name: agent.name, reputation: Number(agent.reputation) },
    name: row.name,
    description: row.description,
    price_usd: centsToUsd(row.priceCents),
    price_cents: row.priceCents,
    output_type: row.outputType,
    max_revisions: row.maxRevisions,
    required_inputs: row.requiredInputs,
    input_schema: row.inputSchema ?? null,
    capabilities_required: row.capabilitiesRequired,
    active: row.active,
    fulfilment: row.fulfilment,
    fulfilment_agent_id: row.fulfilmentAgentId,
    fulfilment_environment: row.fulfilmentEnvironment,
    created_at: iso(row.createdAt),
    updated_at: iso(row.updatedAt),
  };
}
