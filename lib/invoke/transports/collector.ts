import { InvocationError, fromAgentFrame } from "../errors";
import type { AgentFrame } from "./agent-frames";

/** What one attempt produced: the answer so far, and whether the stream ended properly. */
export interface StreamOutcome {
  text: string;
  chunks: number;
  /** Milliseconds from the start of the attempt to the first chunk. */
  firstChunkMs: number | null;
  incomplete: boolean;
}

export type ChunkListener = (text: string, index: number) => void;

/**
 * Accumulates the frames of one answer, in order, for either transport. It decides what a stream that stops
 * early means: after some chunks, a partial answer marked incomplete (never replayed); before any, an error.
 */
export class AnswerCollector {
  private readonly parts: string[] = [];
  private firstAt: number | null = null;
  private ended: "done" | null = null;
  private agentError: InvocationError | null = null;

  constructor(
    private readonly startedAt: number,
    private readonly onChunk?: ChunkListener,
  ) {}

  get chunks(): number {
    return this.parts.length;
  }

  get finished(): boolean {
    return this.ended !== null || this.agentError !== null;
  }

  /** Feeds frames; true once the answer is over (`[DONE]` or an error frame). */
  push(frames: AgentFrame[]): boolean {
    for (const frame of frames) {
      if (this.finished) break;
      if (frame.type === "chunk") {
        if (this.firstAt === null) this.firstAt = performance.now();
        this.parts.push(frame.text);
        this.onChunk?.(frame.text, this.parts.length - 1);
      } else if (frame.type === "done") {
        this.ended = "done";
      } else if (frame.type === "error") {
        this.agentError = fromAgentFrame(frame.error, frame.message);
      }
    }
    return this.finished;
  }

  private outcome(incomplete: boolean): StreamOutcome {
    return {
      text: this.parts.join(""),
      chunks: this.parts.length,
      firstChunkMs: this.firstAt === null ? null : Math.round(this.firstAt - this.startedAt),
      incomplete,
    };
  }

  /** The result when the answer ended normally (`[DONE]`, or the end of a JSON/SSE body). */
  complete(): StreamOutcome {
    if (this.agentError) {
      if (this.parts.length) return this.outcome(true);
      throw this.agentError;
    }
    return this.outcome(false);
  }

  /** The result when the stream broke (closed, reset, idle timeout): partial if anything arrived, else `err`. */
  broken(err: InvocationError): StreamOutcome {
    if (this.parts.length) return this.outcome(true);
    if (this.agentError) throw this.agentError;
    throw err;
  }
}
