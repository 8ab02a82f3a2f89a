import "server-only";
import { and, eq, sql } from "drizzle-orm";
import type { z } from "zod";
import { getDb, type Queryable } from "@/db/client";
import { agents, services } from "@/db/schema";
import type { createServiceBody, updateServiceBody } from "@/lib/api/contracts/services";
import { badRequest, conflict, forbidden, notFound } from "@/lib/api/errors";
import { actsForAgent } from "@/lib/auth/acting";
import type { Principal } from "@/lib/auth/principal";
import { inTransaction } from "@/lib/db";
import { appendEvent } from "@/lib/events/log";
import { agentForChange } from "./agents";
import { fulfilmentColumns } from "./service-fulfilment";
import { serviceJson, type ServiceJson, type ServiceRowLike } from "./serialize";
import { centsToUsd, toCents } from "@/lib/ledger/money";

/** Every service column but the search vector. */
export const serviceColumns = {
  id: services.id,
  agentId: services.agentId,
  name: services.name,
  description: services.description,
  priceCents: services.priceCents,
  outputType: services.outputType,
  maxRevisions: services.maxRevisions,
  requiredInputs: services.requiredInputs,
  inputSchema: services.inputSchema,
  capabilitiesRequired: services.capabilitiesRequired,
  active: services.active,
  fulfilment: services.fulfilment,
  fulfilmentAgentId: services.fulfilmentAgentId,
  fulfilmentEnvironment: services.fulfilmentEnvironment,
  createdAt: services.createdAt,
  updatedAt: services.updatedAt,
};

/** The agent fields a service carries, plus what owner checks need. */
export const serviceAgentColumns = {
  id: agents.id,
  name: agents.name,
  reputation: agents.reputation,
  status: agents.status,
  ownerUserId: agents.ownerUserId,
};

/** What a new service is made of: the create body once validated (defaults applied), less the seller. */
export type ServiceInput = Omit<z.output<typeof createServiceBody>, "agent_id" | "max_revisions" | "fulfilment"> & {
  /** Absent: the column's default (2). */
  max_revisions?: number;
  fulfilment?: "manual" | "auto";
};
/** A partial update, as validated from the update body. */
export type ServicePatch = z.output<typeof updateServiceBody>;

type Found = { service: ServiceRowLike; agent: AgentRef };
type AgentRef = {
  id: string;
  name: string;
  reputation: number;
  status: "active" | "busy" | "offline" | "retired";
  ownerUserId: string | null;
};

export async function findService(db: Queryable, id: string): Promise<Found | null> {
  const [row] = await db
    .select({ service: serviceColumns, agent: serviceAgentColumns })
    .from(services)
    .innerJoin(agents, eq(agents.id, services.agentId))
    .where(eq(services.id, id))
    .limit(1);
  return row ?? null;
}

export async function getServiceJson(id: string): Promise<ServiceJson> {
  const found = await findService(await getDb(), id);
  if (!found) throw notFound("Service");
  return serviceJson(found.service, found.agent);
}

/** An agent sells for itself; a person names an agent they own in `agent_id`. */
export async function createService(
  principal: Principal,
  agentId: string | undefined,
  input: ServiceInput,
): Promise<ServiceJson> {
  let sellerId: string;
  if (principal.kind === "agent") {
    if (agentId !== undefined && agentId !== principal.agentId) {
      throw forbidden("An API key creates services for its own agent only");
    }
    sellerId = principal.agentId;
  } else {
    if (agentId === undefined) {
      throw badRequest("agent_id is required: name the agent you own that sells this service", {
        fields: { agent_id: "required for a signed-in person" },
      });
    }
    sellerId = (await agentForChange(principal, agentId)).id;
  }
  return inTransaction(async (tx) => {
    // Locked so that a concurrent retirement cannot leave an active service behind a retired agent.
    const [agent] = await tx.select(serviceAgentColumns).from(agents).where(eq(agents.id, sellerId)).for("update");
    if (!agent) throw notFound("Agent");
    if (agent.status === "retired") throw conflict("A retired agent cannot publish services");
    const [service] = await tx
      .insert(services)
      .values({
        agentId: sellerId,
        name: input.name,
        description: input.description,
        priceCents: toCents(input.price_usd),
        outputType: input.output_type,
        maxRevisions: input.max_revisions,
        requiredInputs: input.required_inputs,
        inputSchema: input.input_schema ?? null,
        capabilitiesRequired: [...new Set(input.capabilities_required)],
        ...(await fulfilmentColumns(tx, agent, input)),
      })
      .returning(serviceColumns);
    const row = service as ServiceRowLike;
    await appendEvent(tx, {
      type: "service_created",
      agentIds: [sellerId],
      subjectType: "service",
      subjectId: row.id,
      data: { service_id: row.id, agent_id: sellerId, name: row.name, price_usd: centsToUsd(row.priceCents) },
    });
    return serviceJson(row, agent);
  });
}

/** 404 for an unknown service; 403 when the caller neither is its agent nor owns that agent. */
async function serviceForChange(principal: Principal, id: string): Promise<Found> {
  const db = await getDb();
  const found = await findService(db, id);
  if (!found) throw notFound("Service");
  if (!(await actsForAgent(db, principal, found.agent.id, found.agent.ownerUserId))) {
    throw forbidden("Only the service's agent or its owner may change it");
  }
  return found;
}

export async function updateService(principal: Principal, id: string, patch: ServicePatch): Promise<ServiceJson> {
  const { service, agent } = await serviceForChange(principal, id);
  const set: Partial<typeof services.$inferInsert> = {};
  if (patch.name !== undefined) set.name = patch.name;
  if (patch.description !== undefined) set.description = patch.description;
  if (patch.price_usd !== undefined) set.priceCents = toCents(patch.price_usd);
  if (patch.output_type !== undefined) set.outputType = patch.output_type;
  if (patch.max_revisions !== undefined) set.maxRevisions = patch.max_revisions;
  if (patch.required_inputs !== undefined) set.requiredInputs = patch.required_inputs;
  if (patch.input_schema !== undefined) set.inputSchema = patch.input_schema;
  if (patch.capabilities_required !== undefined) set.capabilitiesRequired = [...new Set(patch.capabilities_required)];
  if (patch.active !== undefined) set.active = patch.active;
  if (patch.fulfilment !== undefined) set.fulfilment = patch.fulfilment;
  if (patch.fulfilment_agent_id !== undefined) set.fulfilmentAgentId = patch.fulfilment_agent_id;
  if (patch.fulfilment_environment !== undefined) set.fulfilmentEnvironment = patch.fulfilment_environment;
  const fields = Object.keys(set);
  if (fields.length === 0) return serviceJson(service, agent);
  return inTransaction(async (tx) => {
    const [owner] = await tx
      .select({ status: agents.status })
      .from(agents)
      .where(eq(agents.id, agent.id))
      .for("update");
    if (!owner || owner.status === "retired") throw conflict("The services of a retired agent cannot be changed");
    const bound = await fulfilmentColumns(tx, agent, patch, service);
    const [row] = await tx
      .update(services)
      .set({ ...set, ...bound, updatedAt: sql`now()` })
      .where(eq(services.id, id))
      .returning(serviceColumns);
    const updated = row as ServiceRowLike;
    const deactivated = patch.active === false && service.active;
    await appendEvent(tx, {
      type: deactivated ? "service_deactivated" : "service_updated",
      agentIds: [agent.id],
      subjectType: "service",
      subjectId: id,
      data: {
        service_id: id,
        agent_id: agent.id,
        fields: fields.map((f) => f.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)),
      },
    });
    return serviceJson(updated, agent);
  });
}

/** DELETE: deactivates; the row stays for the jobs that hired it. Deactivating twice changes nothing. */
export async function deactivateService(principal: Principal, id: string): Promise<ServiceJson> {
  const { service, agent } = await serviceForChange(principal, id);
  if (!service.active) return serviceJson(service, agent);
  return inTransaction(async (tx) => {
    const [row] = await tx
      .update(services)
      .set({ active: false, updatedAt: sql`now()` })
      .where(and(eq(services.id, id), eq(services.active, true)))
      .returning(serviceColumns);
    // Deactivated concurrently: nothing left to record.
    if (!row) return serviceJson({ ...service, active: false }, agent);
    await appendEvent(tx, {
      type: "service_deactivated",
      agentIds: [agent.id],
      subjectType: "service",
      subjectId: id,
      data: { service_id: id, agent_id: agent.id, reason: "owner" },
    });
    return serviceJson(row as ServiceRowLike, agent);
  });
}
