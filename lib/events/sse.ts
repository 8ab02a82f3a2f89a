import type { z } from "zod";
import type { events } from "@/db/schema";
import type { eventResource } from "@/lib/api/contracts/events";

const encoder = new TextEncoder();

/** The `data:` of an SSE event (the Event resource). */
export type EventPayload = z.infer<typeof eventResource>;

/** An event-log row as the Event resource, the payload of every event stream (public feed, execution stream). */
export function toPayload(row: typeof events.$inferSelect): EventPayload {
  return {
    id: row.id,
    type: row.type,
    subject_type: row.subjectType,
    subject_id: row.subjectId,
    agent_ids: row.agentIds,
    data: row.data,
    created_at: row.createdAt.toISOString(),
  };
}

/** The event that tells a resuming client its Last-Event-ID is older than the retained log (docs/events.md). */
export const RESYNC_EVENT = "resync";

/**
 * The `resync` event's data, shaped as an Event resource so every client parses it: refetch what you show, then
 * carry on (the stream continues live after it; its id is where a later reconnect resumes).
 */
export function resyncPayload(position: number, lastEventId: number, prunedThrough: number): EventPayload {
  return {
    id: position,
    type: RESYNC_EVENT,
    subject_type: "stream",
    subject_id: "events",
    agent_ids: [],
    data: { last_event_id: lastEventId, pruned_through: prunedThrough },
    created_at: new Date().toISOString(),
  };
}

/** One SSE frame, encoded once so that fan-out to many subscribers shares the same bytes. */
export function formatEvent(id: string | number, type: string, data: unknown): Uint8Array {
  const json = JSON.stringify(data);
  return encoder.encode(`id: ${id}\nevent: ${type}\ndata: ${json}\n\n`);
}

export function formatComment(text: string): Uint8Array {
  return encoder.encode(`: ${text}\n\n`);
}

export interface SseSink {
  /** Queues bytes; false once the client has gone. */
  write(bytes: Uint8Array): boolean;
  readonly closed: boolean;
  /**
   * Bytes written but not yet taken by the server's socket writer. It grows when the client reads slower than
   * events arrive (the response is piped with backpressure), so fan-out can drop a subscriber that falls behind.
   */
  readonly backlogBytes: number;
  close(): void;
}

/** What starts a stream: gets the sink, returns the cleanup to run once the stream closes. */
export type SseStart = (sink: SseSink) => void | (() => void) | Promise<void | (() => void)>;

/**
 * A stream before it is served: the route handler turns it into a web Response (sseResponse), the stream server
 * (lib/events/stream-server.ts) writes it to the Node socket itself (lib/events/sse-node.ts).
 */
export interface SseSource {
  start: SseStart;
  heartbeatMs: number;
  retryMs?: number;
}

/** The response headers of every event stream. */
export const SSE_HEADERS: Readonly<Record<string, string>> = {
  "content-type": "text/event-stream; charset=utf-8",
  "cache-control": "no-cache, no-transform",
  connection: "keep-alive",
  "x-accel-buffering": "no",
};

/** The first frame of a stream: `retry:` when a reconnect delay is set, else a comment. */
export function openingFrame(retryMs: number | undefined): Uint8Array {
  return retryMs ? encoder.encode(`retry: ${retryMs}\n\n`) : formatComment("connected");
}

export interface SseOptions {
  heartbeatMs: number;
  /** Aborted when the client disconnects (the request's signal). */
  signal?: AbortSignal;
  /** Sent first, e.g. `retry: 2000`. */
  retryMs?: number;
}

/**
 * A text/event-stream Response. `start` receives a sink to write frames to and returns a cleanup function,
 * called once when the client disconnects or the stream is closed. A comment is sent every `heartbeatMs`
 * so that proxies keep the connection open.
 */
export function sseResponse(start: SseStart, opts: SseOptions): Response {
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  let closed = false;
  let cleanup: void | (() => void);
  let heartbeat: ReturnType<typeof setInterval> | undefined;

  const finish = () => {
    if (closed) return;
    closed = true;
    if (heartbeat) clearInterval(heartbeat);
    try {
      cleanup?.();
    } catch {
      // cleanup must never throw into the stream machinery
    }
    try {
      controller.close();
    } catch {
      // already closed or errored
    }
  };

  const sink: SseSink = {
    write(bytes) {
      if (closed) return false;
      try {
        controller.enqueue(bytes);
        return true;
      } catch {
        finish();
        return false;
      }
    },
    get closed() {
      return closed;
    },
    get backlogBytes() {
      if (closed) return 0;
      // High-water mark 0 below: desiredSize is minus the queued byte count.
      return Math.max(0, -(controller.desiredSize ?? 0));
    },
    close: finish,
  };

  const stream = new ReadableStream<Uint8Array>(
    {
      async start(c) {
        controller = c;
        c.enqueue(openingFrame(opts.retryMs));
        heartbeat = setInterval(() => sink.write(formatComment("heartbeat")), opts.heartbeatMs);
        heartbeat.unref?.();
        // A client that is already gone when the stream starts never fires "abort" again.
        if (opts.signal?.aborted) finish();
        else opts.signal?.addEventListener("abort", finish, { once: true });
        try {
          cleanup = await start(sink);
          if (closed) cleanup?.();
        } catch (err) {
          finish();
          throw err;
        }
      },
      cancel() {
        finish();
      },
      // Measured in bytes so that backlogBytes is meaningful; 0 because nothing is pulled, only pushed.
    },
    new ByteLengthQueuingStrategy({ highWaterMark: 0 }),
  );

  return new Response(stream, { headers: SSE_HEADERS });
}

/** A source served as a web Response (the route handlers' way, for platforms that run Next alone). */
export function sourceResponse(source: SseSource, signal?: AbortSignal): Response {
  return sseResponse(source.start, { heartbeatMs: source.heartbeatMs, retryMs: source.retryMs, signal });
}

/** The resume point: the `Last-Event-ID` header, or `?last_event_id=` for clients that cannot set headers. */
export function lastEventIdFrom(req: Request): string | null {
  const header = req.headers.get("last-event-id");
  if (header && header.trim()) return header.trim();
  const q = new URL(req.url).searchParams.get("last_event_id");
  return q && q.trim() ? q.trim() : null;
}

/** Waits (polling briefly) until the client has taken most of what was written; false if it went away. */
export async function drained(sink: SseSink, below: number, timeoutMs = 30_000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (sink.backlogBytes > below) {
    if (sink.closed || Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 10));
  }
  return !sink.closed;
}
