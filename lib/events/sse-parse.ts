/**
 * One parsed text/event-stream frame: the fields of one block (lines up to a blank line). A block of comments
 * only (a heartbeat) has just `comment`; an event has `data`, and `id` / `event` when the block names them.
 */
export interface SseFrame {
  id?: string;
  event?: string;
  /** The block's `data:` lines joined with "\n"; undefined when it has none. */
  data?: string;
  comment?: string;
  retry?: number;
}

/**
 * The one incremental text/event-stream parser (browser, server, tests, benchmarks), after the WHATWG rules:
 * `field: value` lines ended by LF, CRLF or CR, a blank line ends a frame, one space after the colon is dropped.
 * Feed it chunks as they arrive (bytes or text, split anywhere, even inside a character or a CRLF); it returns
 * the frames completed so far and keeps the partial tail. No dependency, so the client bundle can use it.
 */
export class SseParser {
  private tail = "";
  private frame: SseFrame = {};
  private empty = true;
  private readonly decoder = new TextDecoder();

  push(chunk: Uint8Array | string): SseFrame[] {
    this.tail += typeof chunk === "string" ? chunk : this.decoder.decode(chunk, { stream: true });
    return this.lines(false);
  }

  /** The stream ended: the frames left, including a last one without its closing blank line. */
  flush(): SseFrame[] {
    this.tail += this.decoder.decode();
    const frames = this.lines(true);
    if (this.tail) this.field(this.tail);
    this.tail = "";
    const last = this.take();
    return last ? [...frames, last] : frames;
  }

  private lines(final: boolean): SseFrame[] {
    const frames: SseFrame[] = [];
    const text = this.tail;
    const eol = /\r\n?|\n/g;
    let from = 0;
    for (let m = eol.exec(text); m; m = eol.exec(text)) {
      // A CR at the very end may be the first half of a CRLF: wait for the next chunk.
      if (m[0] === "\r" && m.index === text.length - 1 && !final) break;
      const line = text.slice(from, m.index);
      from = m.index + m[0].length;
      if (line) this.field(line);
      else {
        const frame = this.take();
        if (frame) frames.push(frame);
      }
    }
    this.tail = text.slice(from);
    return frames;
  }

  private field(line: string): void {
    this.empty = false;
    const f = this.frame;
    if (line.startsWith(":")) {
      f.comment = line.slice(1).trim();
      return;
    }
    const colon = line.indexOf(":");
    const name = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? "" : line.slice(colon + 1);
    if (value.startsWith(" ")) value = value.slice(1);
    if (name === "data") f.data = f.data === undefined ? value : `${f.data}\n${value}`;
    else if (name === "id") f.id = value;
    else if (name === "event") f.event = value;
    else if (name === "retry" && /^\d+$/.test(value)) f.retry = Number(value);
  }

  private take(): SseFrame | null {
    if (this.empty) return null;
    const frame = this.frame;
    this.frame = {};
    this.empty = true;
    return frame;
  }
}

/** Every frame of a complete text (one WebSocket message, a whole response body). */
export function parseSse(text: string): SseFrame[] {
  const parser = new SseParser();
  return [...parser.push(text), ...parser.flush()];
}
