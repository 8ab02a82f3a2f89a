import "server-only";
import http from "node:http";
import { ApiError } from "@/lib/api/errors";
import { recordCall } from "@/lib/metrics/recorder";
import { callEnded, callStarted } from "./instances/load";
import type { Environment } from "./types";

/**
 * One call of the agent contract's POST /invocations on one instance, through its socket, within the version's
 * timeout; the outcome (ok, error, timeout), latency and size are recorded for that version.
 */

const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });

export interface RoutedCall {
  agentId: string;
  environment: Environment;
  /** The agent contract's body: `{ prompt?, input?, sessionId? }`. */
  body: string;
  /** Ask the agent for its streamed answer (SSE frames, passed on as they come). */
  stream?: boolean;
  signal?: AbortSignal;
}

export interface RoutedAnswer {
  status: number;
  versionId: string;
  version: string;
  contentType: string;
  /** The whole body (JSON), or the agent's SSE stream when asked for. */
  body: string | ReadableStream<Uint8Array>;
}

/** The instance refused the connection: it never saw the call (another one may take it). */
export class Unreached extends Error {}

export function callInstance(
  call: RoutedCall,
  versionId: string,
  v: { version: string; timeoutMs: number },
  instance: { id: string; address: string },
): Promise<RoutedAnswer> {
  const started = performance.now();
  let bytesOut = 0;
  let settled = false;
  callStarted(instance.id, versionId);
  const finish = (outcome: "ok" | "error" | "timeout") => {
    if (settled) return;
    settled = true;
    callEnded(instance.id, versionId);
    recordCall({
      agentId: call.agentId,
      environment: call.environment,
      versionId,
      latencyMs: performance.now() - started,
      outcome,
      bytesIn: Buffer.byteLength(call.body),
      bytesOut,
    });
  };
  return new Promise<RoutedAnswer>((resolve, reject) => {
    let responded = false;
    const req = http.request({
      socketPath: instance.address,
      path: "/invocations",
      method: "POST",
      agent,
      headers: {
        "content-type": "application/json",
        "content-length": Buffer.byteLength(call.body),
        accept: call.stream ? "text/event-stream" : "application/json",
      },
    });
    const timer = setTimeout(() => {
      finish("timeout");
      req.destroy();
      reject(new ApiError(504, "TimeoutError", `The agent did not answer within ${v.timeoutMs / 1000} s`));
    }, v.timeoutMs);
    const onAbort = () => {
      clearTimeout(timer);
      req.destroy();
    };
    call.signal?.addEventListener("abort", onAbort, { once: true });
    const failed = (err: Error & { code?: string }) => {
      clearTimeout(timer);
      if (settled) return;
      if (!responded && (err.code === "ENOENT" || err.code === "ECONNREFUSED")) {
        settled = true;
        callEnded(instance.id, versionId);
        return reject(new Unreached(err.message));
      }
      finish(call.signal?.aborted ? "ok" : "error");
      reject(new ApiError(503, "ServiceUnavailableError", "The agent could not answer; try again shortly"));
    };
    req.on("error", failed);
    req.on("response", (res) => {
      responded = true;
      const status = res.statusCode ?? 500;
      const contentType = String(res.headers["content-type"] ?? "application/json");
      if (status >= 500) {
        res.resume();
        clearTimeout(timer);
        finish("error");
        return reject(new ApiError(503, "ServiceUnavailableError", "The agent failed to answer"));
      }
      // The agent's 4xx is the caller's mistake, not the version's: it counts as answered.
      const answer = { status, versionId, version: v.version, contentType };
      if (call.stream && contentType.includes("text/event-stream")) {
        const stream = new ReadableStream<Uint8Array>({
          start(controller) {
            res.on("data", (c: Buffer) => {
              bytesOut += c.length;
              controller.enqueue(new Uint8Array(c));
            });
            res.on("end", () => {
              clearTimeout(timer);
              finish("ok");
              controller.close();
            });
            res.on("error", (err) => {
              clearTimeout(timer);
              finish("error");
              controller.error(err);
            });
          },
          cancel() {
            clearTimeout(timer);
            finish("ok");
            res.destroy();
          },
        });
        return resolve({ ...answer, body: stream });
      }
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => {
        bytesOut += c.length;
        chunks.push(c);
      });
      res.on("end", () => {
        clearTimeout(timer);
        finish("ok");
        resolve({ ...answer, body: Buffer.concat(chunks).toString("utf8") });
      });
      res.on("error", failed);
    });
    req.end(call.body);
  });
}
