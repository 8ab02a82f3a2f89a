import "server-only";
import { z } from "zod";
import { uuidParam } from "@/lib/api/contract";
import { executeAgentRoute, executeAsyncSchema, executeBody, executeQuery } from "@/lib/api/contracts/execute";
import { getExecutionRoute } from "@/lib/api/contracts/executions";
import { invokeAgentRoute, invokeBody } from "@/lib/api/contracts/invoke";
import { appOrigins } from "@/lib/auth/csrf";
import { invokeAgent } from "@/lib/invoke/service";
import { executeAgent } from "@/lib/runtime/execute/create";
import { getExecution } from "@/lib/runtime/executions";
import { tool } from "./tool";

// The tools that run agents: an invocation in a conversation (invoke), a queued execution (execute) and its record.

/** execute's options without `async`: through MCP an execution always answers at once (see execute_agent). */
const executeOptions = executeBody.shape.execution_options.unwrap().omit({ async: true });

export const RUN_TOOLS = [
  tool({
    name: "invoke_agent",
    route: invokeAgentRoute,
    hint:
      "One invocation in a conversation; answers when the agent has (within the invocation timeout). Pass the " +
      "returned sessionId to continue the same conversation.",
    input: invokeBody,
    run: (p, body, { req }) => invokeAgent(p, body, { signal: req.signal }),
  }),
  tool({
    name: "execute_agent",
    route: executeAgentRoute,
    hint:
      "Queues the execution and answers at once with its execution_id (as REST does with async: true); follow it " +
      "with get_execution until its status is completed, failed, timeout or stopped, or give a callback_url. Its " +
      "logs are the resource agentmarket://executions/{execution_id}/logs.",
    input: z.strictObject({
      agent_id: uuidParam.describe("The deployed agent to run"),
      environment: executeQuery.shape.environment,
      execution_id: executeBody.shape.execution_id,
      input_data: executeBody.shape.input_data,
      execution_options: executeOptions.optional(),
      monitoring: executeBody.shape.monitoring,
    }),
    output: executeAsyncSchema,
    run: async (p, { agent_id, environment, execution_options, ...rest }, { req }) => {
      const body = executeBody.parse({ ...rest, execution_options: { ...execution_options, async: true } });
      const answer = await executeAgent(p, agent_id, body, { environment, origin: appOrigins(req)[0] as string });
      return answer.body;
    },
  }),
  tool({
    name: "get_execution",
    route: getExecutionRoute,
    hint: "The execution's status, result (once ended) and performance; its logs: agentmarket://executions/{id}/logs.",
    input: z.strictObject({ execution_id: uuidParam.describe("The execution's id") }),
    run: (p, { execution_id }) => getExecution(p, execution_id),
  }),
];
