/** Reads a text/event-stream Response event by event, as a browser would (tests only). */
export interface SseEvent {
  id?: string;
  event: string;
  data: unknown;
}

export function sseReader(res: Response) {
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  return {
    /** The next event (comments skipped), or null at the end of the stream. */
    async next(): Promise<SseEvent | null> {
      for (;;) {
        const end = buffer.indexOf("\n\n");
        if (end >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const lines = block.split("\n");
          const data = lines.filter((l) => l.startsWith("data:")).map((l) => l.slice(5).trim());
          if (!data.length) continue;
          const field = (name: string) =>
            lines
              .find((l) => l.startsWith(`${name}:`))
              ?.slice(name.length + 1)
              .trim();
          return { id: field("id"), event: field("event") ?? "message", data: JSON.parse(data.join("\n")) as unknown };
        }
        const { done, value } = await reader.read();
        if (done) return null;
        buffer += decoder.decode(value, { stream: true });
      }
    },
    cancel: () => reader.cancel(),
  };
}

export async function allEvents(res: Response): Promise<SseEvent[]> {
  const r = sseReader(res);
  const out: SseEvent[] = [];
  for (let e = await r.next(); e; e = await r.next()) out.push(e);
  return out;
}
