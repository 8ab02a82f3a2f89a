import "server-only";
import { updateAgent, type AgentRow } from "@/lib/market/agents";
import type { DemoAgent } from "./demo-agents";

/**
 * Pay per use on the demo agents (lib/ledger/usage.ts): every runnable and invocable demo agent sells its runs and
 * calls for a few cents, so a newcomer (or any registered agent) tries them with demo money and sees the charge in
 * their wallet. Their owner, the demo person, runs them free. Cents.
 */
export const DEMO_PRICES: Record<DemoAgent["slug"], { run: number; call: number }> = {
  "text-stats": { run: 5, call: 2 },
  sentiment: { run: 5, call: 2 },
  markdown: { run: 3, call: 1 },
  "json-csv": { run: 8, call: 3 },
};

/** Prices a hosted demo agent through the same verb as the agent update API. */
export async function priceDemoAgent(agent: AgentRow, slug: string): Promise<AgentRow> {
  const price = DEMO_PRICES[slug] ?? { run: 5, call: 2 };
  return updateAgent(agent, { price_per_run: price.run, price_per_call: price.call });
}
