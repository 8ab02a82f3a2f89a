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
] as const;

export type Scope = (typeof SCOPES)[number];
export const scopeSchema = z.enum(SCOPES);
