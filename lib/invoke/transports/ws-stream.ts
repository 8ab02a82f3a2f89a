import WebSocket from "ws";
import { AnswerCollector, type ChunkListener, type StreamOutcome } from "./collector";
import { InvocationError, fromUpstream, toInvocationError } from "../errors";
import { parseAgentMessage } from "./agent-frames";

/** Counts the sockets this process opened and has not yet seen closed (seed property 8: none leak). */
export class SocketTracker {
  private open = 0;
  private waiters: (() => void)[] = [];

  get openSockets(): number {
    return this.open;
  }

  opened(): void {
    this.open++;
  }

  closed(): void {
    this.open--;
    if (this.open === 0) for (const w of this.waiters.splice(0)) w();
  }

  /** Resolves once every socket opened so far has closed. */
  idle(): Promise<void> {
    return this.open === 0 ? Promise.resolve() : new Promise((r) => this.waiters.push(r));
  }
}

export interface WsInvokeOptions {
  url: string;
  headers?: Record<string, string>;
  payload: string;
  connectTimeoutMs: number;
  /** Longest wait for the first or the next frame. */
  idleTimeoutMs: number;
  /** Aborting ends the attempt now (the overall deadline, or the caller went away). */
  signal?: AbortSignal;
  onChunk?: ChunkListener;
  tracker?: SocketTracker;
}

const CLOSE_GRACE_MS = 1000;

async function readErrorType(res: import("node:http").IncomingMessage): Promise<string | undefined> {
  const header = res.headers["x-amzn-errortype"];
  if (typeof header === "string" && header) return header;
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const c of res as AsyncIterable<Buffer>) {
      size += c.length;
      if (size > 8192) break;
      chunks.push(c);
    }
    const body = JSON.parse(Buffer.concat(chunks).toString("utf8")) as { __type?: string };
    return typeof body.__type === "string" ? body.__type : undefined;
  } catch {
    return undefined;
  }
}

/**
 * One invocation over a WebSocket: connect (with a handshake timeout), send the payload, read SSE-formatted
 * frames until `[DONE]`, and close the socket on every path — success, refusal, timeout, a dropped stream.
 */
export function invokeOverWebSocket(opts: WsInvokeOptions): Promise<StreamOutcome> {
  return new Promise<StreamOutcome>((resolve, reject) => {
    const startedAt = performance.now();
    const collector = new AnswerCollector(startedAt, opts.onChunk);
    let settled = false;
    let idle: ReturnType<typeof setTimeout> | undefined;

    if (opts.signal?.aborted) {
      reject(new InvocationError("TimeoutError", "The agent runtime did not answer in time"));
      return;
    }

    const ws = new WebSocket(opts.url, {
      headers: opts.headers,
      handshakeTimeout: opts.connectTimeoutMs,
      perMessageDeflate: false,
      followRedirects: false,
    });
    opts.tracker?.opened();
    let counted = true;
    ws.on("close", () => {
      if (counted) {
        counted = false;
        opts.tracker?.closed();
      }
      if (!settled)
        settleBroken(
          new InvocationError("ServiceUnavailableError", "The agent runtime closed the connection before answering"),
        );
    });

    const release = () => {
      if (idle) clearTimeout(idle);
      opts.signal?.removeEventListener("abort", onAbort);
      if (ws.readyState === WebSocket.OPEN) {
        ws.close(1000);
        // A peer that never answers the close frame must not hold the socket open.
        setTimeout(() => ws.terminate(), CLOSE_GRACE_MS).unref();
      } else if (ws.readyState === WebSocket.CONNECTING) {
        ws.terminate();
      }
    };

    const settle = (fn: () => StreamOutcome) => {
      if (settled) return;
      settled = true;
      release();
      try {
        resolve(fn());
      } catch (err) {
        reject(toInvocationError(err));
      }
    };
    const settleBroken = (err: InvocationError) => settle(() => collector.broken(err));
    const fail = (err: InvocationError) => {
      if (settled) return;
      settled = true;
      release();
      reject(err);
    };

    const armIdle = () => {
      if (idle) clearTimeout(idle);
      idle = setTimeout(
        () => settleBroken(new InvocationError("TimeoutError", "The agent runtime did not answer in time")),
        opts.idleTimeoutMs,
      );
    };
    function onAbort() {
      settleBroken(new InvocationError("TimeoutError", "The agent runtime did not answer in time"));
    }
    opts.signal?.addEventListener("abort", onAbort, { once: true });

    ws.on("unexpected-response", (_req, res) => {
      void readErrorType(res).then((type) => fail(fromUpstream(res.statusCode, type)));
    });
    ws.on("error", (err) => {
      if (settled) return;
      const message = (err as Error).message ?? "";
      if (/handshake has timed out/i.test(message)) {
        fail(new InvocationError("TimeoutError", "Connecting to the agent runtime timed out"));
      } else if (ws.readyState === WebSocket.CONNECTING || !collector.chunks) {
        const mapped = toInvocationError(err);
        fail(
          mapped.name === "InternalError"
            ? new InvocationError(
                "ServiceUnavailableError",
                "The agent runtime could not be reached; try again shortly",
              )
            : mapped,
        );
      } else {
        settleBroken(new InvocationError("ServiceUnavailableError", "The connection to the agent runtime broke"));
      }
    });
    ws.on("open", () => {
      armIdle();
      ws.send(opts.payload);
    });
    ws.on("message", (data: WebSocket.RawData) => {
      if (settled) return;
      armIdle();
      const text = Array.isArray(data) ? Buffer.concat(data).toString("utf8") : data.toString("utf8");
      if (collector.push(parseAgentMessage(text))) settle(() => collector.complete());
    });
  });
}
