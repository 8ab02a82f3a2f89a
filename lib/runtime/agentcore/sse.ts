/**
 * The SSE-formatted frames AgentCore agents answer with (`data: {"chunk": "..."}` ... `data: [DONE]`), over a
 * WebSocket (one or more events per text message) or an HTTP text/event-stream body (events split anywhere).
 */
export type SseFrame =
  | { type: "chunk"; text: string }
  | { type: "done" }
  | { type: "error"; error: string; message: string }
  /** A JSON object without chunk text (e.g. the contract's `{"done": true, "turn": 2}`): metadata, not answer. */
  | { type: "meta"; data: Record<string, unknown> };

/** The `data:` payload of one event block, or null when it has none (a comment, a bare `event:` line). */
function dataOf(block: string): string | null {
  const lines: string[] = [];
  for (const raw of block.split(/\r?\n/)) {
    if (!raw.startsWith("data:")) continue;
    const value = raw.slice(5);
    lines.push(value.startsWith(" ") ? value.slice(1) : value);
  }
  return lines.length ? lines.join("\n") : null;
}

/** Interprets one event's data: `[DONE]`, `{"chunk"}`, `{"error","message"}`, other objects (metadata), a JSON string, or plain text. */
export function frameOfData(data: string): SseFrame {
  const trimmed = data.trim();
  if (trimmed === "[DONE]") return { type: "done" };
  if (trimmed.startsWith("{") || trimmed.startsWith('"')) {
    try {
      const value = JSON.parse(trimmed) as unknown;
      if (typeof value === "string") return { type: "chunk", text: value };
      if (value && typeof value === "object" && !Array.isArray(value)) {
        const obj = value as Record<string, unknown>;
        if (typeof obj.chunk === "string") return { type: "chunk", text: obj.chunk };
        if (typeof obj.error === "string") {
          return { type: "error", error: obj.error, message: typeof obj.message === "string" ? obj.message : "" };
        }
        if (typeof obj.response === "string") return { type: "chunk", text: obj.response };
        return { type: "meta", data: obj };
      }
    } catch {
      // not JSON after all: the text is the chunk
    }
  }
  return { type: "chunk", text: data };
}

/** Every frame in a complete text (a WebSocket message): events are separated by a blank line. */
export function parseSseEvents(text: string): SseFrame[] {
  const frames: SseFrame[] = [];
  for (const block of text.split(/\r?\n\r?\n/)) {
    const data = dataOf(block);
    if (data !== null) frames.push(frameOfData(data));
  }
  return frames;
}

/** Seed 004's parseSSEMessage: the chunk text of a message, or null for `[DONE]`, errors and non-data lines. */
export function parseSSEMessage(message: string): string | null {
  const chunks = parseSseEvents(message).filter((f) => f.type === "chunk");
  return chunks.length ? chunks.map((f) => (f as { text: string }).text).join("") : null;
}

/** Incremental decoder for a byte stream: feed it bytes as they come, get the frames completed so far. */
export class SseDecoder {
  private buffer = "";
  private readonly decoder = new TextDecoder();

  push(bytes: Uint8Array | string): SseFrame[] {
    this.buffer += typeof bytes === "string" ? bytes : this.decoder.decode(bytes, { stream: true });
    const frames: SseFrame[] = [];
    for (;;) {
      const m = /\r?\n\r?\n/.exec(this.buffer);
      if (!m) break;
      const block = this.buffer.slice(0, m.index);
      this.buffer = this.buffer.slice(m.index + m[0].length);
      const data = dataOf(block);
      if (data !== null) frames.push(frameOfData(data));
    }
    return frames;
  }

  /** The last event when the stream ends without a trailing blank line. */
  flush(): SseFrame[] {
    const rest = this.buffer + this.decoder.decode();
    this.buffer = "";
    const data = rest.trim() ? dataOf(rest) : null;
    return data !== null ? [frameOfData(data)] : [];
  }
}

/** One SSE event carrying a chunk, as agents write it (used by the local endpoint and tests). */
export function formatChunkFrame(text: string): string {
  return `data: ${JSON.stringify({ chunk: text })}\n\n`;
}

export const DONE_FRAME = "data: [DONE]\n\n";
