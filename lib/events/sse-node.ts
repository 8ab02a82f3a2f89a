import type { ServerResponse } from "node:http";
import { formatComment, openingFrame, SSE_HEADERS, type SseSink, type SseSource } from "./sse";

/**
 * Event streams written straight to the Node response (no web stream in between), for the stream server
 * (lib/events/stream-server.ts). Per connection the server keeps one small sink object: no closure, no timer of its
 * own. One timer per heartbeat period writes the same heartbeat bytes to every open stream, and the hub writes the
 * same encoded frame to every subscriber. What a socket has not yet taken is `res.writableLength`: past the bound
 * the stream is cut (the socket destroyed, its buffer freed), never left to grow.
 */
export class NodeSseSink implements SseSink {
  private done = false;
  /** The source's cleanup, run once when the stream ends. */
  cleanup: void | (() => void) = undefined;

  constructor(
    readonly res: ServerResponse,
    readonly maxBacklogBytes: number,
    /** Runs once when the stream ends (the stream slot of the rate limit, lib/api/stream-slots.ts). */
    private readonly onEnd: (() => void) | null = null,
  ) {}

  get closed(): boolean {
    return this.done;
  }

  get backlogBytes(): number {
    return this.done ? 0 : this.res.writableLength;
  }

  write(bytes: Uint8Array): boolean {
    if (this.done) return false;
    if (this.res.destroyed) {
      this.finish();
      return false;
    }
    this.res.write(bytes);
    return true;
  }

  /** Ends the stream: gracefully when the client keeps up, by cutting the socket when it is past the bound. */
  close(): void {
    if (this.done) return;
    const behind = this.res.writableLength > this.maxBacklogBytes;
    this.finish();
    if (behind) this.res.destroy();
    else this.res.end();
  }

  /** The client went away or the stream ended: forget it everywhere, once. */
  finish(): void {
    if (this.done) return;
    this.done = true;
    unregister(this);
    try {
      this.cleanup?.();
    } catch {
      // a cleanup must never throw into the server
    }
    this.onEnd?.();
  }
}

// ---- one heartbeat timer per period, shared by every stream ----

const HEARTBEAT = formatComment("heartbeat");
const beats = new Map<number, { timer: ReturnType<typeof setInterval>; sinks: Set<NodeSseSink> }>();
const periodOf = new WeakMap<NodeSseSink, number>();

function register(sink: NodeSseSink, periodMs: number): void {
  let beat = beats.get(periodMs);
  if (!beat) {
    const sinks = new Set<NodeSseSink>();
    const timer = setInterval(() => tick(sinks), periodMs);
    timer.unref?.();
    beats.set(periodMs, (beat = { timer, sinks }));
  }
  beat.sinks.add(sink);
  periodOf.set(sink, periodMs);
}

function unregister(sink: NodeSseSink): void {
  const period = periodOf.get(sink);
  const beat = period === undefined ? undefined : beats.get(period);
  if (!beat || period === undefined) return;
  beat.sinks.delete(sink);
  if (beat.sinks.size === 0) {
    clearInterval(beat.timer);
    beats.delete(period);
  }
}

function tick(sinks: Set<NodeSseSink>): void {
  for (const sink of [...sinks]) {
    // A client that has not read the last bound's worth is cut rather than given more.
    if (sink.backlogBytes > sink.maxBacklogBytes) sink.close();
    else sink.write(HEARTBEAT);
  }
}

/** Open streams (tests, shutdown). */
export function openNodeStreams(): number {
  let n = 0;
  for (const beat of beats.values()) n += beat.sinks.size;
  return n;
}

// ---- serving a source on a response ----

const sinkOf = new WeakMap<ServerResponse, NodeSseSink>();

// One listener function for every response: `this` is the response that closed.
function onResponseClose(this: ServerResponse): void {
  sinkOf.get(this)?.finish();
}

/**
 * Writes the stream's head and first frame to `res` and starts `source` on a sink over it. `headers` are added to
 * the stream's own (the rate limit's); `onEnd` runs once when the stream ends, however it ends.
 */
export async function serveSource(
  res: ServerResponse,
  source: SseSource,
  opts: { maxBacklogBytes: number; headers?: Record<string, string>; onEnd?: () => void },
): Promise<void> {
  const sink = new NodeSseSink(res, opts.maxBacklogBytes, opts.onEnd ?? null);
  sinkOf.set(res, sink);
  res.once("close", onResponseClose);
  if (res.destroyed) {
    sink.finish();
    return;
  }
  // The body runs until the connection closes, so it needs no chunked framing: each frame is then one plain write
  // of the shared bytes per socket (no chunk-size line or trailing CRLF around it).
  res.useChunkedEncodingByDefault = false;
  res.writeHead(200, { ...opts.headers, ...SSE_HEADERS, connection: "close" });
  res.write(openingFrame(source.retryMs));
  register(sink, source.heartbeatMs);
  try {
    const cleanup = await source.start(sink);
    if (sink.closed) cleanup?.();
    else sink.cleanup = cleanup;
  } catch (err) {
    sink.close();
    throw err;
  }
}
