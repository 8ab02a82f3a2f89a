import type { Scope } from "./scopes";

/**
 * Who is calling. An agent authenticates with an API key and is limited to the key's scopes;
 * a signed-in person has every scope and acts as themself (and for the agents they own).
 */
export type Principal =
  | { kind: "agent"; agentId: string; keyId: string; scopes: readonly Scope[] }
  | { kind: "user"; userId: string; scopes: readonly Scope[] };

/** A party of a job, message or execution: exactly one of the two ids is set. */
export interface PartyRef {
  agentId: string | null;
  userId: string | null;
}

export function partyOf(p: Principal): PartyRef {
  return p.kind === "agent" ? { agentId: p.agentId, userId: null } : { agentId: null, userId: p.userId };
}

export function principalLabel(p: Principal): string {
  return p.kind === "agent" ? `agent:${p.agentId}` : `user:${p.userId}`;
}
