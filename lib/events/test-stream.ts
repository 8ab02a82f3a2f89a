import { SseParser, type SseFrame } from "./sse-parse";

/** Test helper: reads an SSE Response into frames and waits for a condition on them (bounded in time). */
export function readStream(res: Response) {
  const reader = res.body!.getReader();
  const parser = new SseParser();
  const frames: SseFrame[] = [];
  let ended = false;
  // A read that lost a race against the timeout is kept, not dropped (its chunk would be lost).
  let pending: Promise<ReadableStreamReadResult<Uint8Array>> | null = null;

  async function until(pred: (frames: SseFrame[]) => boolean, timeoutMs = 10_000): Promise<SseFrame[]> {
    const deadline = Date.now() + timeoutMs;
    while (!pred(frames)) {
      if (ended) throw new Error(`stream ended before the condition held; got ids ${JSON.stringify(ids())}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out; got ${frames.length} frames, ids ${JSON.stringify(ids())}`);
      let timer: ReturnType<typeof setTimeout> | undefined;
      const timeout = new Promise<"timeout">((r) => (timer = setTimeout(() => r("timeout"), left)));
      pending ??= reader.read();
      const next = await Promise.race([pending, timeout]);
      clearTimeout(timer);
      if (next === "timeout") continue;
      pending = null;
      if (next.done) ended = true;
      else frames.push(...parser.push(next.value));
    }
    return frames;
  }

  const events = () => frames.filter((f) => f.id !== undefined);
  const ids = () => events().map((f) => Number(f.id));
  return { frames, events, ids, until, ended: () => ended, cancel: () => reader.cancel().catch(() => {}) };
}
