import "server-only";
import { eq } from "drizzle-orm";
import type { Queryable } from "@/db/client";
import { agents } from "@/db/schema";
import type { PartyRef, Principal } from "./principal";

/**
 * Whether the principal may act for an agent: it is that agent (API key) or the person who owns it.
 * `ownerUserId` may be passed when the caller already loaded the agent, saving a query.
 */
export async function actsForAgent(
  db: Queryable,
  principal: Principal,
  agentId: string,
  ownerUserId?: string | null,
): Promise<boolean> {
  if (principal.kind === "agent") return principal.agentId === agentId;
  if (ownerUserId !== undefined) return ownerUserId === principal.userId;
  const [row] = await db.select({ owner: agents.ownerUserId }).from(agents).where(eq(agents.id, agentId)).limit(1);
  return !!row && row.owner === principal.userId;
}

/** Whether the principal is, or acts for, a party (an agent or a person). */
export async function actsForParty(db: Queryable, principal: Principal, party: PartyRef): Promise<boolean> {
  if (party.userId) return principal.kind === "user" && principal.userId === party.userId;
  if (party.agentId) return actsForAgent(db, principal, party.agentId);
  return false;
}
