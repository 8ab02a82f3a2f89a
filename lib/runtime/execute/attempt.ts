import "server-only";
import { ApiError } from "@/lib/api/errors";
import { routeCall } from "@/lib/deploy/router";
import type { Environment } from "@/lib/deploy/types";
import type { ExecutionError, ExecutionUsage } from "@/db/schema/executions";
import type { ExecutionRow } from "../types";

/**
 * One attempt of a deployed execution: the agent contract's POST /invocations through the deployment router (so
 * it counts in the version's metrics), with what is left of the execution's timeout. The answer is classified:
 * the agent's 2xx is the result (docs/agent-contract.md, Results), its 4xx the input's fault (not retried), and a
 * crashed or unreachable instance or the agent's 5xx transient (retried per retry_config).
 */

export type AttemptOutcome =
  | { kind: "completed"; version: string; output: unknown; usage: ExecutionUsage; logs: string[] }
  | { kind: "failed"; version: string | null; error: ExecutionError; transient: boolean }
  | { kind: "timeout"; version: string | null; error: ExecutionError };

export function deadlineOf(row: ExecutionRow): number {
  return (row.queuedAt ?? row.startTime).getTime() + row.timeoutS * 1000;
}

const num = (v: unknown) => (typeof v === "number" && Number.isFinite(v) ? v : null);

/** An agent that always streams: its chunks become `response`, its summary frame the rest of the answer. */
export function foldStream(text: string): string {
  let response = "";
  let summary: Record<string, unknown> = {};
  for (const line of text.split("\n")) {
    if (!line.startsWith("data: ") || line === "data: [DONE]") continue;
    try {
      const frame = JSON.parse(line.slice(6)) as Record<string, unknown>;
      if (typeof frame.chunk === "string") response += frame.chunk;
      else if (frame.done) summary = frame;
    } catch {
      // Not JSON: not part of the contract's frames.
    }
  }
  const { done: _done, ...rest } = summary;
  return JSON.stringify({ response, ...rest });
}

/** What the agent's answer says: its `output` (else the whole answer), its `usage`, its `logs`. */
export function readAnswer(body: string): { output: unknown; usage: ExecutionUsage; logs: string[] } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return { output: body, usage: { memory_used: null, cpu_time: null, tokens_used: null }, logs: [] };
  }
  const obj = parsed && typeof parsed === "object" && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : {};
  const usage = (obj.usage ?? {}) as Record<string, unknown>;
  const output = "output" in obj ? obj.output : parsed;
  const logs = Array.isArray(obj.logs) ? obj.logs.filter((l): l is string => typeof l === "string").slice(0, 100) : [];
  return {
    output,
    usage: { memory_used: num(usage.memory_used), cpu_time: num(usage.cpu_time), tokens_used: num(usage.tokens_used) },
    logs,
  };
}

function agentError(status: number, body: string): ExecutionError {
  let details: Record<string, unknown> = { status };
  let message = `The agent refused the input (${status})`;
  try {
    const parsed = JSON.parse(body) as Record<string, unknown>;
    details = { status, answer: parsed };
    if (typeof parsed.message === "string") message = parsed.message.slice(0, 1000);
  } catch {
    details = { status, answer: body.slice(0, 1000) };
  }
  return { code: "InputError", message, details };
}

export async function runAttempt(row: ExecutionRow): Promise<AttemptOutcome> {
  const left = deadlineOf(row) - Date.now();
  const timedOut = (): AttemptOutcome => ({
    kind: "timeout",
    version: null,
    error: { code: "Timeout", message: `Timed out after ${row.timeoutS} s`, details: { timeout_s: row.timeoutS } },
  });
  if (left <= 0) return timedOut();
  const signal = AbortSignal.timeout(left);
  const context = row.context ?? {};
  const body = JSON.stringify({
    input: row.input,
    context,
    ...(typeof context.session_id === "string" ? { sessionId: context.session_id } : {}),
    execution_id: row.id,
  });
  try {
    const answer = await routeCall({
      agentId: row.agentId,
      environment: row.environment as Environment,
      body,
      signal,
    });
    const raw = typeof answer.body === "string" ? answer.body : await new Response(answer.body).text();
    const text = answer.contentType.includes("text/event-stream") ? foldStream(raw) : raw;
    if (answer.status >= 200 && answer.status < 300)
      return { kind: "completed", version: answer.version, ...readAnswer(text) };
    return { kind: "failed", version: answer.version, error: agentError(answer.status, text), transient: false };
  } catch (err) {
    if (signal.aborted) return timedOut();
    if (err instanceof ApiError && err.status === 504) {
      return { kind: "timeout", version: null, error: { code: "Timeout", message: err.message, details: {} } };
    }
    if (err instanceof ApiError) {
      // 503: no healthy instance, the instance crashed or answered 5xx; 404: the deployment is gone for now.
      const transient = err.status === 503 || err.status === 404;
      const code = err.status === 404 ? "NoDeployment" : "AgentUnavailable";
      return { kind: "failed", version: null, error: { code, message: err.message, details: {} }, transient };
    }
    throw err;
  }
}
