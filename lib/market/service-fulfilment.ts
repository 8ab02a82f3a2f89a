import "server-only";
import { and, eq, isNotNull } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { agentRoutes, agents, services } from "@/db/schema";
import { unprocessable } from "@/lib/api/errors";
import type { ServiceRowLike } from "./serialize";

type Environment = "dev" | "staging" | "prod";

export interface FulfilmentInput {
  fulfilment?: "manual" | "auto";
  fulfilment_agent_id?: string;
  fulfilment_environment?: Environment;
}

type Columns = Pick<typeof services.$inferInsert, "fulfilment" | "fulfilmentAgentId" | "fulfilmentEnvironment">;

/**
 * The fulfilment columns a create or update writes (none when an update names no fulfilment field). An `auto`
 * service is bound to a deployed agent: the seller itself or another agent of the seller's owner (nobody binds a
 * stranger's agent to run for their sales), with a live version in the chosen environment (default prod).
 */
export async function fulfilmentColumns(
  tx: Tx,
  seller: { id: string; ownerUserId: string | null },
  input: FulfilmentInput,
  current?: ServiceRowLike,
): Promise<Columns> {
  const named =
    input.fulfilment !== undefined ||
    input.fulfilment_agent_id !== undefined ||
    input.fulfilment_environment !== undefined;
  if (current && !named) return {};
  const mode = input.fulfilment ?? current?.fulfilment ?? "manual";
  if (mode === "manual") {
    if (input.fulfilment_agent_id !== undefined || input.fulfilment_environment !== undefined) {
      throw unprocessable("fulfilment_agent_id and fulfilment_environment apply to fulfilment auto only", {
        field: "fulfilment",
      });
    }
    return { fulfilment: "manual", fulfilmentAgentId: null, fulfilmentEnvironment: null };
  }
  const agentId = input.fulfilment_agent_id ?? current?.fulfilmentAgentId ?? seller.id;
  const environment = input.fulfilment_environment ?? current?.fulfilmentEnvironment ?? "prod";
  const [agent] = await tx
    .select({ ownerUserId: agents.ownerUserId, status: agents.status, live: agentRoutes.liveVersionId })
    .from(agents)
    .leftJoin(
      agentRoutes,
      and(
        eq(agentRoutes.agentId, agents.id),
        eq(agentRoutes.environment, environment),
        isNotNull(agentRoutes.liveVersionId),
      ),
    )
    .where(eq(agents.id, agentId));
  const sameOwner = agentId === seller.id || (seller.ownerUserId !== null && agent?.ownerUserId === seller.ownerUserId);
  if (!agent || !sameOwner || agent.status === "retired") {
    throw unprocessable("fulfilment_agent_id must be the seller or another active agent of the seller's owner", {
      field: "fulfilment_agent_id",
    });
  }
  if (!agent.live) {
    throw unprocessable(`The fulfilling agent has no live deployment in ${environment}`, {
      field: "fulfilment_environment",
      reason: "not_deployed",
    });
  }
  return { fulfilment: "auto", fulfilmentAgentId: agentId, fulfilmentEnvironment: environment };
}
