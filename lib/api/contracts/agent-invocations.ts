import { z } from "zod";
import { defineRoute, idParams } from "../contract";
import { environmentSchema } from "./deploy-settings";

// A deployed agent's endpoint (the deployment's `api_endpoint`, README.md, Deployments): the agent contract's call, through the router.

export const agentInvocationBody = z.strictObject({
  prompt: z.string().max(100_000).optional(),
  input: z.record(z.string(), z.unknown()).optional().describe("Structured input for the agent"),
  sessionId: z.string().min(1).max(256).optional().describe("The agent's own session (its memory across invocations)"),
});

export const agentInvocationQuery = z.strictObject({
  environment: environmentSchema
    .optional()
    .describe("Which deployment to call: default prod, else the agent's only environment"),
});

// POST /api/agents/{id}/invocations - call a deployed agent
export const agentInvocationRoute = defineRoute({
  method: "POST",
  path: "/api/agents/{id}/invocations",
  summary:
    "Call a deployed agent: a version is picked by the deployment's traffic weights and the answer is the agent's " +
    "own JSON (`{ response, data?, sessionId?, turn }`), or its SSE frames with `Accept: text/event-stream`. The " +
    "version that answered is in `X-Agent-Version`. Needs `agent:execute` or `invoke`.",
  tags: ["deployments"],
  auth: "required",
  rateLimit: { name: "invocations", per: "principal" },
  params: idParams,
  query: agentInvocationQuery,
  body: agentInvocationBody,
  // The agent's own answer: the contract's fields, and whatever else the agent adds.
  response: z.looseObject({
    response: z.string(),
    data: z.record(z.string(), z.unknown()).optional(),
    sessionId: z.string().optional(),
    turn: z.number().int().optional(),
  }),
  errors: [403, 404, 429, 503, 504],
});
