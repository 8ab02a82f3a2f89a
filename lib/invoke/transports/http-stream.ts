import { AnswerCollector, type ChunkListener, type StreamOutcome } from "./collector";
import { InvocationError } from "../errors";
import { SseParser } from "@/lib/events/sse-parse";
import { agentFrames } from "./agent-frames";

export interface BodyReadOptions {
  contentType: string | undefined;
  idleTimeoutMs: number;
  startedAt: number;
  onChunk?: ChunkListener;
  /** Called to tear the body down (idle timeout, deadline). */
  cancel: () => void;
  signal?: AbortSignal;
}

/**
 * Reads an invocation's HTTP answer: a text/event-stream body frame by frame (chunks forwarded as they come),
 * or a JSON / plain body as one chunk. A body that breaks after some chunks is a partial answer.
 */
export async function readAnswerBody(body: AsyncIterable<Uint8Array>, opts: BodyReadOptions): Promise<StreamOutcome> {
  const collector = new AnswerCollector(opts.startedAt, opts.onChunk);
  const isSse = /text\/event-stream/i.test(opts.contentType ?? "");
  const parser = new SseParser();
  const raw: Uint8Array[] = [];
  let timedOut = false;
  let idle: ReturnType<typeof setTimeout> | undefined;
  const armIdle = () => {
    if (idle) clearTimeout(idle);
    idle = setTimeout(() => {
      timedOut = true;
      opts.cancel();
    }, opts.idleTimeoutMs);
  };
  const onAbort = () => {
    timedOut = true;
    opts.cancel();
  };
  opts.signal?.addEventListener("abort", onAbort, { once: true });
  armIdle();
  try {
    for await (const bytes of body) {
      armIdle();
      if (!isSse) {
        raw.push(bytes);
        continue;
      }
      if (collector.push(agentFrames(parser.push(bytes)))) {
        opts.cancel();
        return collector.complete();
      }
    }
    if (timedOut) {
      return collector.broken(new InvocationError("TimeoutError", "The agent runtime did not answer in time"));
    }
    if (isSse) {
      collector.push(agentFrames(parser.flush()));
      // An SSE body that ends without [DONE] ended early unless an error frame closed it.
      if (collector.finished) return collector.complete();
      return collector.broken(
        new InvocationError("ServiceUnavailableError", "The agent runtime closed the stream before answering"),
      );
    }
  } catch {
    const err = timedOut
      ? new InvocationError("TimeoutError", "The agent runtime did not answer in time")
      : new InvocationError("ServiceUnavailableError", "The connection to the agent runtime broke");
    return collector.broken(err);
  } finally {
    if (idle) clearTimeout(idle);
    opts.signal?.removeEventListener("abort", onAbort);
  }
  collector.push(jsonAnswerFrames(Buffer.concat(raw).toString("utf8"), opts.contentType));
  return collector.complete();
}

/** A non-streamed answer: `{ "response": "..." }` (the agent contract), a JSON string, or plain text. */
function jsonAnswerFrames(text: string, contentType: string | undefined) {
  if (/json/i.test(contentType ?? "")) {
    try {
      const value = JSON.parse(text) as unknown;
      if (typeof value === "string") return [{ type: "chunk" as const, text: value }];
      if (value && typeof value === "object") {
        const obj = value as Record<string, unknown>;
        if (typeof obj.error === "string") {
          return [
            { type: "error" as const, error: obj.error, message: typeof obj.message === "string" ? obj.message : "" },
          ];
        }
        if (typeof obj.response === "string") return [{ type: "chunk" as const, text: obj.response }];
      }
      return [{ type: "chunk" as const, text }];
    } catch {
      // fall through: the body is the answer
    }
  }
  return text ? [{ type: "chunk" as const, text }] : [];
}
