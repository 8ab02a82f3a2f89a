import { errorFrom } from "./api";
import type { InvokeDone } from "./runtime-types";
import { sseMessages } from "./sse";

export interface InvokeHandlers {
  onChunk: (text: string) => void;
  signal?: AbortSignal;
}

/**
 * POST /api/agents/invoke with `Accept: text/event-stream`: calls onChunk as each `event: chunk` arrives and
 * resolves with the `event: done` payload. An `event: error` or a non-2xx answer rejects with the API's message.
 */
export async function invokeStream(
  body: { agentId: string; prompt: string; sessionId?: string },
  { onChunk, signal }: InvokeHandlers,
): Promise<InvokeDone> {
  const res = await fetch("/api/agents/invoke", {
    method: "POST",
    headers: { "content-type": "application/json", accept: "text/event-stream" },
    body: JSON.stringify(body),
    credentials: "same-origin",
    signal,
  });
  if (!res.ok) throw await errorFrom(res);
  // A server that answers JSON despite the Accept header still works.
  if (!res.headers.get("content-type")?.includes("text/event-stream")) {
    const json = (await res.json()) as { response: string; sessionId: string; incomplete?: true };
    onChunk(json.response);
    return { sessionId: json.sessionId, incomplete: json.incomplete };
  }
  let done: InvokeDone | null = null;
  let failure: Error | null = null;
  const parse = sseMessages((f) => {
    let data: Record<string, unknown> = {};
    try {
      data = JSON.parse(f.data) as Record<string, unknown>;
    } catch {
      return;
    }
    if (f.event === "chunk" && typeof data.chunk === "string") onChunk(data.chunk);
    else if (f.event === "done") done = data as unknown as InvokeDone;
    else if (f.event === "error") failure = new Error(String(data.message || data.error || "The agent failed"));
  });
  const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
  for (;;) {
    const { value, done: end } = await reader.read();
    if (end) break;
    parse(value);
  }
  if (failure) throw failure;
  if (!done) throw new Error("The answer stopped before it was complete");
  return done;
}
