/** One parsed SSE frame: a comment (heartbeat), a retry hint, or an event. */
export interface SseFrame {
  id?: string;
  event?: string;
  data?: string;
  comment?: string;
  retry?: number;
}

/**
 * An incremental text/event-stream parser (for tests, benchmarks and Node clients): feed it chunks as they
 * arrive, it returns the complete frames and keeps the partial tail.
 */
export class SseParser {
  private tail = "";
  private readonly decoder = new TextDecoder();

  push(chunk: Uint8Array | string): SseFrame[] {
    this.tail += typeof chunk === "string" ? chunk : this.decoder.decode(chunk, { stream: true });
    const frames: SseFrame[] = [];
    let end: number;
    while ((end = this.tail.indexOf("\n\n")) >= 0) {
      const block = this.tail.slice(0, end);
      this.tail = this.tail.slice(end + 2);
      const frame: SseFrame = {};
      for (const line of block.split("\n")) {
        if (line.startsWith(":")) frame.comment = line.slice(1).trim();
        else {
          const colon = line.indexOf(":");
          const field = colon < 0 ? line : line.slice(0, colon);
          const value = colon < 0 ? "" : line.slice(colon + 1).replace(/^ /, "");
          if (field === "id") frame.id = value;
          else if (field === "event") frame.event = value;
          else if (field === "data") frame.data = frame.data === undefined ? value : `${frame.data}\n${value}`;
          else if (field === "retry") frame.retry = Number(value);
        }
      }
      frames.push(frame);
    }
    return frames;
  }
}
