import "server-only";
import { isUuid } from "@/lib/api/contract";
import { environmentOf } from "@/lib/deploy/invocations";
import { configKeyOf, configuredArn } from "@/lib/invoke/targets";
import { findAgentCached } from "@/lib/market/agents";
import { isInvocable } from "@/lib/market/serialize";

/**
 * What the chat page of `agentId` shows, decided before anything is sent: a chat (a configured AgentCore agent, a
 * marketplace agent on AgentCore, or one with a live deployment), "this agent does not chat" (an agent that exists
 * but cannot be invoked), or nothing (404) for an agent that does not exist.
 */
export type ChatTarget =
  | { chats: true; name: string; pricePerCall: number | null; ownerUserId: string | null }
  | { chats: false; name: string; agentId: string }
  | null;

export async function chatTargetOf(agentId: string): Promise<ChatTarget> {
  const key = configKeyOf(agentId);
  if (key) return configuredArn(key) ? { chats: true, name: agentId, pricePerCall: null, ownerUserId: null } : null;
  if (!isUuid(agentId)) return null;
  const agent = await findAgentCached(agentId);
  if (!agent) return null;
  if (agent.status === "retired") return { chats: false, name: agent.name, agentId };
  const chats = {
    chats: true,
    name: agent.name,
    pricePerCall: agent.pricePerCall,
    ownerUserId: agent.ownerUserId,
  } as const;
  if (isInvocable(agent.runtime)) return chats;
  const deployed = await environmentOf(agent.id).then(
    () => true,
    () => false,
  );
  return deployed ? chats : { chats: false, name: agent.name, agentId };
}
