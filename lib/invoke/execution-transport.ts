import "server-only";
import http from "node:http";
import type { ChunkListener, StreamOutcome } from "@/lib/invoke/transports/collector";
import { InvocationError, toInvocationError } from "./errors";
import { readAnswerBody } from "@/lib/invoke/transports/http-stream";
import { invokeOverWebSocket, SocketTracker } from "@/lib/invoke/transports/ws-stream";

// Whether an execution's endpoint serves the optional `/ws` (the agent contract), learned on first use.
const servesWs = new Map<string, boolean>();
const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
export const executionSockets = new SocketTracker();

export interface ExecutionInvokeInput {
  endpoint: string;
  payload: string;
  connectTimeoutMs: number;
  idleTimeoutMs: number;
  signal?: AbortSignal;
  onChunk?: ChunkListener;
}

function postInvocation(input: ExecutionInvokeInput): Promise<StreamOutcome> {
  return new Promise<StreamOutcome>((resolve, reject) => {
    const startedAt = performance.now();
    const req = http.request(
      `${input.endpoint.replace(/\/+$/, "")}/invocations`,
      {
        method: "POST",
        agent,
        timeout: input.connectTimeoutMs,
        headers: {
          "content-type": "application/json",
          accept: "text/event-stream, application/json",
          "content-length": Buffer.byteLength(input.payload),
        },
      },
      (res) => {
        const status = res.statusCode ?? 500;
        if (status >= 400) {
          res.resume();
          // The agent contract answers bad input with 400 ValidationError; the rest is the runtime's trouble.
          return reject(
            status === 400
              ? new InvocationError("ValidationError", "The agent rejected the request as invalid")
              : new InvocationError("ServiceUnavailableError", "The execution could not answer; try again shortly"),
          );
        }
        readAnswerBody(res, {
          contentType: res.headers["content-type"],
          idleTimeoutMs: input.idleTimeoutMs,
          startedAt,
          onChunk: input.onChunk,
          cancel: () => res.destroy(),
          signal: input.signal,
        }).then(resolve, reject);
      },
    );
    req.on("timeout", () => req.destroy(Object.assign(new Error("connect timeout"), { code: "ETIMEDOUT" })));
    req.on("error", (err) => reject(toInvocationError(err)));
    req.end(input.payload);
  });
}

/**
 * Invokes a running execution through the agent contract: its `/ws` when it serves one, otherwise
 * `POST /invocations` with `Accept: text/event-stream`. No SigV4 here: the endpoint is ours, on a private network.
 */
export async function invokeExecution(input: ExecutionInvokeInput): Promise<StreamOutcome> {
  const known = servesWs.get(input.endpoint);
  if (known !== false) {
    try {
      const outcome = await invokeOverWebSocket({
        url: `${input.endpoint.replace(/^http/, "ws").replace(/\/+$/, "")}/ws`,
        payload: input.payload,
        connectTimeoutMs: input.connectTimeoutMs,
        idleTimeoutMs: input.idleTimeoutMs,
        signal: input.signal,
        onChunk: input.onChunk,
        tracker: executionSockets,
      });
      servesWs.set(input.endpoint, true);
      return outcome;
    } catch (err) {
      const e = toInvocationError(err);
      // A refused upgrade (404/400/426) means no /ws here: remember it and use /invocations.
      if (known === undefined && (e.name === "NotFoundError" || e.name === "ValidationError")) {
        servesWs.set(input.endpoint, false);
      } else throw e;
    }
  }
  if (servesWs.size > 1000) servesWs.clear();
  return postInvocation(input);
}
