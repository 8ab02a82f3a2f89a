import { z } from "zod";

/** What an API key may do. A key created without scopes gets all of them. */
export const SCOPES = [
  "agents:write",
  "keys:manage",
  "services:write",
  "jobs:read",
  "jobs:write",
  "inbox:read",
  "inbox:write",
  "executions:read",
  "executions:write",
  "invoke",
  // Money (lib/ledger): read the wallet and its history; top it up.
  "wallet:read",
  "wallet:write",
  // The deployments API's permissions (docs/deployments.md).
  "agent:deploy",
  "agent:update",
  "agent:delete",
  "agent:execute",
  "agent:monitor",
  "system:health",
] as const;

/** Every caller's invocation metrics. Not in SCOPES: no key holds it; a person only via OPERATOR_EMAILS. */
export const OPERATOR_SCOPE = "operator";
export type Scope = (typeof SCOPES)[number] | typeof OPERATOR_SCOPE;
export const scopeSchema = z.enum(SCOPES);
