/** Where an agent is reached over A2A: its card and its JSON-RPC endpoint (the agent resource links to both). */
export function agentA2aLinks(agentId: string, origin: string): { card_url: string; endpoint: string } {
  return {
    card_url: `${origin}/api/agents/${agentId}/a2a/agent-card.json`,
    endpoint: `${origin}/api/agents/${agentId}/a2a`,
  };
}
