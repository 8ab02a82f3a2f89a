import "server-only";
import type { z } from "zod";
import { getDb } from "@/db/client";
import type { invokeBody, invokeResponse } from "@/lib/api/contracts/invoke";
import type { Principal } from "@/lib/auth/principal";
import { partyOf, principalLabel } from "@/lib/auth/principal";
import { inTransaction } from "@/lib/db";
import { env } from "@/lib/env";
import { appendEvent, appendEvents } from "@/lib/events/log";
import type { ChunkListener, StreamOutcome } from "@/lib/invoke/transports/collector";
import { InvocationError, toInvocationError } from "./errors";
import { DEFAULT_RETRY, realSleep, withRetry } from "@/lib/invoke/transports/retry";
import { generateSessionId, isValidSessionId } from "@/lib/invoke/transports/session-id";
import { getAgentCoreClient } from "./client";
import { invokeApiError, invokeClientError } from "./errors";
import { invokeExecution } from "./execution-transport";
import { tryAcquireSlot } from "./limits";
import { claimSession, recordInvocation, titleOf } from "./sessions";
import { resolveTarget, type InvokeTarget } from "./targets";
import { callDeployedAgent } from "./targets-deployed";
import { log } from "@/lib/log";
import { holdForCall, releaseCall, settleCall } from "@/lib/ledger/usage-hooks";

export type InvokeRequest = z.infer<typeof invokeBody>;

/** The answer: `{ response, sessionId, metadata: { chunks, duration } }`, `incomplete` on a broken stream. */
export type InvokeResult = z.infer<typeof invokeResponse>;

/** An invocation that passed every check (caller, size, target, concurrency, session) and may now run. */
export interface PreparedInvocation {
  principal: Principal;
  request: InvokeRequest;
  target: InvokeTarget;
  sessionId: string;
  /** Settles once the session row exists (a new session is recorded while the agent already works). */
  sessionReady: Promise<void>;
  release: () => void;
  /** A paid call's hold (lib/ledger/usage.ts), settled with the outcome; null when the call is free. */
  charge: string | null;
}

/**
 * Everything that can refuse an invocation before the agent is contacted, in the seed's error format:
 * 400 bad session id, 413 prompt too long, 404 unknown agent or another caller's session, 409 a session of
 * another agent or an execution that is not running, 429 too many invocations in flight for this caller.
 */
export async function prepareInvocation(principal: Principal, request: InvokeRequest): Promise<PreparedInvocation> {
  const e = env();
  const ctx = { agentId: request.agentId, sessionId: request.sessionId };
  if (request.sessionId !== undefined && !isValidSessionId(request.sessionId)) {
    throw invokeClientError(
      400,
      "ValidationError",
      "sessionId must be 33 to 256 characters: letters, digits, '.', '_', ':' or '-'",
      ctx,
    );
  }
  if (request.prompt.length > e.INVOKE_MAX_PROMPT_CHARS) {
    throw invokeClientError(
      413,
      "PayloadTooLargeError",
      `prompt exceeds ${e.INVOKE_MAX_PROMPT_CHARS} characters`,
      ctx,
      {
        details: { limit_chars: e.INVOKE_MAX_PROMPT_CHARS },
      },
    );
  }
  const db = await getDb();
  const target = await resolveTarget(db, principal, request.agentId);
  const release = tryAcquireSlot(principalLabel(principal), e.INVOKE_MAX_CONCURRENT_PER_CALLER);
  if (!release) {
    throw invokeClientError(
      429,
      "RateLimitError",
      `At most ${e.INVOKE_MAX_CONCURRENT_PER_CALLER} invocations may run at once per caller`,
      ctx,
      { retryAfter: 1 },
    );
  }
  const claim = (sessionId: string) =>
    claimSession(db, {
      sessionId,
      target: target.target,
      agentId: target.agentId,
      requestedAgentId: request.agentId,
      caller: partyOf(principal),
      title: titleOf(request.prompt),
    });
  let charge: string | null = null;
  try {
    if (request.sessionId !== undefined) {
      // An existing id must be checked before the agent hears anything in that session.
      await claim(request.sessionId);
    }
    // A priced agent (price_per_call): its price is held before the agent hears anything (402 if it cannot be).
    if (target.kind !== "execution") charge = await holdForCall(db, principal, target.agentId, request.maxCharge);
    if (request.sessionId !== undefined) {
      const sessionReady = Promise.resolve();
      return { principal, request, target, sessionId: request.sessionId, sessionReady, release, charge };
    }
    // A fresh random id cannot belong to anyone: its row is written while the invocation already runs,
    // which keeps a database round trip off the time to first chunk.
    const sessionId = generateSessionId();
    const sessionReady = claim(sessionId).then(() => undefined);
    sessionReady.catch(() => {});
    return { principal, request, target, sessionId, sessionReady, release, charge };
  } catch (err) {
    release();
    await releaseCall(charge);
    throw err;
  }
}

interface Answer extends StreamOutcome {
  transport: "ws" | "http";
  durationMs: number;
  firstChunkMs: number | null;
}

async function callTarget(p: PreparedInvocation, onChunk: ChunkListener, signal?: AbortSignal): Promise<Answer> {
  const { target } = p;
  if (target.kind === "deployed") {
    return callDeployedAgent({
      agentId: target.agentId,
      environment: target.environment,
      prompt: p.request.prompt,
      sessionId: p.sessionId,
      continuing: p.request.sessionId !== undefined,
      sessionReady: p.sessionReady,
      onChunk,
      signal,
    });
  }
  if (target.kind === "agentcore") {
    const r = await getAgentCoreClient().invokeAgent(target.runtimeArn, p.request.prompt, p.sessionId, {
      transport: target.transport,
      qualifier: target.qualifier,
      onChunk,
      signal,
    });
    return {
      text: r.response,
      chunks: r.metadata.chunks,
      incomplete: !!r.incomplete,
      transport: target.transport,
      durationMs: r.metadata.duration,
      firstChunkMs: r.metadata.firstChunkMs,
    };
  }
  const e = env();
  const started = performance.now();
  let firstAt: number | null = null;
  const deadline = AbortSignal.timeout(e.INVOKE_TIMEOUT_MS);
  const all = signal ? AbortSignal.any([deadline, signal]) : deadline;
  const { value } = await withRetry(
    DEFAULT_RETRY,
    realSleep,
    () =>
      invokeExecution({
        endpoint: target.endpoint,
        payload: JSON.stringify({ prompt: p.request.prompt, sessionId: p.sessionId }),
        connectTimeoutMs: e.INVOKE_CONNECT_TIMEOUT_MS,
        idleTimeoutMs: Math.min(e.INVOKE_IDLE_TIMEOUT_MS, e.INVOKE_TIMEOUT_MS),
        signal: all,
        onChunk: (text, i) => {
          firstAt ??= performance.now();
          onChunk(text, i);
        },
      }),
    () => !all.aborted,
    all,
  );
  return {
    ...value,
    transport: "http",
    durationMs: Math.round(performance.now() - started),
    firstChunkMs: firstAt === null ? null : Math.round(firstAt - started),
  };
}

async function record(p: PreparedInvocation, outcome: string, a: Partial<Answer>, durationMs: number): Promise<void> {
  await p.sessionReady;
  const caller = partyOf(p.principal);
  const transport = a.transport ?? (p.target.kind === "agentcore" ? p.target.transport : "http");
  await inTransaction(async (tx) => {
    await recordInvocation(tx, {
      sessionId: p.sessionId,
      target: p.target.target,
      transport,
      outcome,
      chunks: a.chunks ?? 0,
      durationMs,
      firstChunkMs: a.firstChunkMs ?? null,
      answered: outcome === "ok" || outcome === "incomplete",
      prompt: p.request.prompt,
      answer: a.text ?? "",
    });
    // A paid call is charged when it answered in full, else its hold is released (lib/ledger/usage.ts).
    await appendEvents(tx, await settleCall(tx, p.charge, outcome));
    // Never the prompt or the answer: the log is readable by every agent concerned.
    await appendEvent(tx, {
      type: "agent_invoked",
      agentIds: [p.target.agentId, caller.agentId],
      userIds: [caller.userId],
      subjectType: "session",
      subjectId: p.sessionId,
      data: {
        target: p.target.target,
        session_id: p.sessionId,
        outcome,
        transport,
        chunks: a.chunks ?? 0,
        duration_ms: durationMs,
        first_chunk_ms: a.firstChunkMs ?? null,
      },
    });
  });
}

export interface RunHooks {
  onChunk?: ChunkListener;
  /** The caller went away: the upstream socket is closed and the invocation recorded as cancelled. */
  signal?: AbortSignal;
  /** Called with the result before it is recorded (a stream sends its final event without waiting for the DB). */
  onResult?: (result: InvokeResult) => void;
}

/** Runs a prepared invocation; records it in its session, the metrics row and the event whatever the outcome. */
export async function runInvocation(p: PreparedInvocation, hooks: RunHooks = {}): Promise<InvokeResult> {
  const started = performance.now();
  const recordOrLog = (outcome: string, a: Partial<Answer>, duration: number) =>
    record(p, outcome, a, duration).catch(async (e: Error) => {
      log().error({ err: e, target: p.target.target }, "could not record an invocation");
      await releaseCall(p.charge).catch(() => {});
    });
  // What arrived so far, so that a cancelled or broken answer is kept in the transcript as far as it came.
  let partial = "";
  const onChunk: ChunkListener = (text, i) => {
    partial += text;
    hooks.onChunk?.(text, i);
  };
  try {
    let a: Answer;
    try {
      a = await callTarget(p, onChunk, hooks.signal);
    } catch (raw) {
      const cancelled = hooks.signal?.aborted ?? false;
      const err = cancelled
        ? new InvocationError("TimeoutError", "The invocation was cancelled")
        : toInvocationError(raw);
      const outcome = cancelled ? "cancelled" : err.name;
      await recordOrLog(outcome, { text: partial }, Math.round(performance.now() - started));
      // One line per failure with what an operator needs; never the prompt, the answer or a credential.
      log().warn({ target: p.target.target, outcome, attempts: err.attempts }, "invocation did not complete");
      throw invokeApiError(err, { agentId: p.request.agentId, sessionId: p.sessionId });
    }
    const duration = Math.round(performance.now() - started);
    const result: InvokeResult = {
      response: a.text,
      sessionId: p.sessionId,
      ...(a.incomplete ? { incomplete: true as const } : {}),
      metadata: { chunks: a.chunks, duration },
    };
    hooks.onResult?.(result);
    // The agent answered: a failure to write the metrics must not turn that into an error for the caller.
    const outcome = hooks.signal?.aborted ? "cancelled" : a.incomplete ? "incomplete" : "ok";
    await recordOrLog(outcome, a, duration);
    return result;
  } finally {
    p.release();
  }
}

/** Prepare and run, for the JSON answer. */
export async function invokeAgent(principal: Principal, request: InvokeRequest, hooks: RunHooks = {}) {
  return runInvocation(await prepareInvocation(principal, request), hooks);
}
