import "server-only";
import { randomUUID } from "node:crypto";
import { Role, TaskState, type Message, type Part, type StreamResponse, type Task } from "@a2a-js/sdk";
import { getDb } from "@/db/client";
import { ApiError } from "@/lib/api/errors";
import type { Principal } from "@/lib/auth/principal";
import { invokeAgent, prepareInvocation, runInvocation, type InvokeResult } from "@/lib/invoke/service";
import { resolveTarget } from "@/lib/invoke/targets";
import { invalidParams } from "./errors";
import { textOf } from "./message-input";

// A message without a skill to an invocable agent is an invocation (POST /api/agents/invoke, lib/api/contracts/invoke.ts), not a hire: the
// message's text is the prompt and the context id the session id (a new session when the message has none).

/** Whether the agent answers invocations from this caller (AgentCore runtime or a deployment); never throws. */
export async function isInvocable(principal: Principal, agentId: string): Promise<boolean> {
  try {
    await resolveTarget(await getDb(), principal, agentId);
    return true;
  } catch (err) {
    if (err instanceof ApiError) return false;
    throw err;
  }
}

const textPart = (text: string): Part => ({
  content: { $case: "text", value: text },
  metadata: undefined,
  filename: "",
  mediaType: "text/plain",
});

function requestOf(agentId: string, message: Message) {
  const prompt = textOf(message);
  if (!prompt) throw invalidParams("A message to an agent without a skill is a prompt: give it a text part");
  return { agentId, prompt, ...(message.contextId ? { sessionId: message.contextId } : {}) };
}

function answer(result: InvokeResult): Message {
  return {
    messageId: randomUUID(),
    contextId: result.sessionId,
    taskId: "",
    role: Role.ROLE_AGENT,
    parts: [textPart(result.response)],
    metadata: { ...result.metadata, ...(result.incomplete ? { incomplete: true } : {}) },
    extensions: [],
    referenceTaskIds: [],
  };
}

/** SendMessage: the agent's whole answer as a message in the session's context. */
export async function invokeMessage(
  principal: Principal,
  agentId: string,
  message: Message,
  signal: AbortSignal,
): Promise<Message> {
  return answer(await invokeAgent(principal, requestOf(agentId, message), { signal }));
}

/**
 * SendStreamingMessage: the answer as it arrives. A2A streams only tasks, so the invocation is a task of its own
 * (its id is the invocation's; it lives only in this stream, GetTask does not know it): WORKING, an artifact
 * appended chunk by chunk, then COMPLETED with the whole answer as its message.
 */
export async function* invokeStream(
  principal: Principal,
  agentId: string,
  message: Message,
  signal: AbortSignal,
): AsyncGenerator<StreamResponse, void, undefined> {
  const prepared = await prepareInvocation(principal, requestOf(agentId, message));
  const id = randomUUID();
  const contextId = prepared.sessionId;
  const chunks: string[] = [];
  let wake: (() => void) | null = null;
  let ended = false;
  const poke = () => {
    wake?.();
    wake = null;
  };
  const run = runInvocation(prepared, {
    signal,
    onChunk: (text) => {
      chunks.push(text);
      poke();
    },
  }).finally(() => {
    ended = true;
    poke();
  });
  run.catch(() => {}); // awaited below
  const task: Task = {
    id,
    contextId,
    status: { state: TaskState.TASK_STATE_WORKING, message: undefined, timestamp: new Date().toISOString() },
    artifacts: [],
    history: [],
    metadata: undefined,
  };
  yield { payload: { $case: "task", value: task } };
  let first = true;
  for (;;) {
    const text = chunks.shift();
    if (text !== undefined) {
      yield {
        payload: {
          $case: "artifactUpdate",
          value: {
            taskId: id,
            contextId,
            artifact: {
              artifactId: `${id}-answer`,
              name: "answer",
              description: "",
              parts: [textPart(text)],
              metadata: undefined,
              extensions: [],
            },
            append: !first,
            lastChunk: false,
            metadata: undefined,
          },
        },
      };
      first = false;
      continue;
    }
    if (ended) break;
    await new Promise<void>((r) => (wake = r));
  }
  const result = await run;
  yield {
    payload: {
      $case: "statusUpdate",
      value: {
        taskId: id,
        contextId,
        status: { state: TaskState.TASK_STATE_COMPLETED, message: answer(result), timestamp: new Date().toISOString() },
        metadata: undefined,
      },
    },
  };
}
