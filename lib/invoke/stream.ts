import "server-only";
import { ApiError } from "@/lib/api/errors";
import { env } from "@/lib/env";
import { formatEvent, sseResponse } from "@/lib/events/sse";
import { runInvocation, type PreparedInvocation } from "./service";

/** Whether the caller asked for the streamed answer. */
export function wantsEventStream(req: Request): boolean {
  return /text\/event-stream/i.test(req.headers.get("accept") ?? "");
}

/**
 * The streamed answer of `POST /api/agents/invoke`: each chunk is forwarded as it arrives (`event: chunk`,
 * `{"chunk": "..."}`), then `event: done` with `{ sessionId, metadata, incomplete? }`, or `event: error` with the
 * error body. A caller that disconnects closes the upstream socket (the invocation is recorded as cancelled).
 */
export function streamInvocation(prepared: PreparedInvocation, signal: AbortSignal): Response {
  const cancel = new AbortController();
  return sseResponse(
    (sink) => {
      let seq = 0;
      void runInvocation(prepared, {
        signal: cancel.signal,
        onChunk: (chunk) => sink.write(formatEvent(++seq, "chunk", { chunk })),
        onResult: (r) =>
          sink.write(
            formatEvent(++seq, "done", {
              sessionId: r.sessionId,
              metadata: r.metadata,
              ...(r.incomplete ? { incomplete: true } : {}),
            }),
          ),
      })
        .catch((err: unknown) => {
          const body =
            err instanceof ApiError
              ? err.toBody()
              : { error: "InternalError", message: "Something went wrong on our side" };
          sink.write(formatEvent(++seq, "error", body));
        })
        .finally(() => sink.close());
      return () => cancel.abort();
    },
    { heartbeatMs: env().EVENTS_HEARTBEAT_MS, signal },
  );
}
