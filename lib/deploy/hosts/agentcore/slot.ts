/**
 * What an AgentCore instance's gateway says about itself at SLOT_PATH: the runtime and the endpoint (qualifier) it
 * stands for now. The invoke API (lib/invoke/targets-deployed.ts) asks it for the instance the router picked and
 * invokes that endpoint over the signed transports itself, so the invoke API's streaming, sessions and error kinds (lib/api/contracts/invoke.ts)
 * hold for deployed agents. Asked at every call: promotion moves an instance from `<env>_next` to `<env>`.
 */
export const SLOT_PATH = "/.agent-market/agentcore-slot";

export interface AgentCoreSlot {
  runtime_arn: string;
  qualifier: string;
  runtime_version: string;
}
