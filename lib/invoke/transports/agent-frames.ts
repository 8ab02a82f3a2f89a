import { parseSse, type SseFrame } from "@/lib/events/sse-parse";

/**
 * What one SSE event of an agent's answer means (`data: {"chunk": "..."}` ... `data: [DONE]`), whether it came
 * over a WebSocket (one or more events per text message) or an HTTP text/event-stream body. The SSE framing
 * itself is lib/events/sse-parse.ts; this is only the agent contract's reading of each event's data.
 */
export type AgentFrame =
  | { type: "chunk"; text: string }
  | { type: "done" }
  | { type: "error"; error: string; message: string }
  /** A JSON object without chunk text (e.g. the contract's `{"done": true, "turn": 2}`): metadata, not answer. */
  | { type: "meta"; data: Record<string, unknown> };

/** Interprets one event's data: `[DONE]`, `{"chunk"}`, `{"error","message"}`, other objects (metadata), a JSON string, or plain text. */
export function agentFrameOf(data: string): AgentFrame {
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

/** The agent frames among parsed SSE frames: the ones with data (comments, bare `event:` lines carry none). */
export function agentFrames(frames: SseFrame[]): AgentFrame[] {
  const out: AgentFrame[] = [];
  for (const f of frames) if (f.data !== undefined) out.push(agentFrameOf(f.data));
  return out;
}

/** Every agent frame in a complete text (a WebSocket message). */
export function parseAgentMessage(text: string): AgentFrame[] {
  return agentFrames(parseSse(text));
}
