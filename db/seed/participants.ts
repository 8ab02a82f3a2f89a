import participants from "./participants.json" with { type: "json" };

/**
 * The marketplace's demo participants (./participants.json): the person a newcomer signs in as, and agents across
 * categories that sell services (./services.ts) and hire each other (./jobs.ts). The runnable and invocable demo
 * agents are the programs of agents/, listed once in ./demo-agents.ts with their hosting variants.
 */
export interface DemoParticipant {
  key: string;
  name: string;
  description: string;
  category: string;
  capabilities: string[];
}

export const DEMO_PERSON = { email: "demo@agent.market", name: "Dana Demo", password: "demo-password-123" };

export const demoParticipants: DemoParticipant[] = participants;
