import { describe, expect, it } from "vitest";
import { parseSse, SseParser } from "./sse-parse";

describe("SseParser", () => {
  it("parses frames split across chunks: comments, retry hints, ids, names, multi-line data", () => {
    const p = new SseParser();
    const frames = [
      ...p.push("retry: 2000\n\n: heartbeat\n\nid: 4\nevent: job.cre"),
      ...p.push('ated\ndata: {"a":1}\n\nid: 5\r\nevent: log\r\ndata: line one\r\ndata: line two\r\n\r\n'),
      ...p.push("data: no id or name\n"),
    ];
    expect(frames).toHaveLength(4);
    frames.push(...p.push("\n"));
    expect(frames).toEqual([
      { retry: 2000 },
      { comment: "heartbeat" },
      { id: "4", event: "job.created", data: '{"a":1}' },
      { id: "5", event: "log", data: "line one\nline two" },
      { data: "no id or name" },
    ]);
  });

  it("ends lines at CR alone, and waits when a chunk ends between the CR and the LF of a CRLF", () => {
    const p = new SseParser();
    expect(p.push("data: a\r")).toEqual([]);
    // Had the CR been taken as a line end, this LF would be a blank line and end the frame early.
    expect(p.push("\ndata: b\r\r\n")).toEqual([{ data: "a\nb" }]);
  });

  it("decodes bytes split inside a multi-byte character and flushes a frame without its blank line", () => {
    const bytes = new TextEncoder().encode("data: héllo 🌍\n\ndata: last");
    for (let cut = 1; cut < bytes.length; cut++) {
      const p = new SseParser();
      const frames = [...p.push(bytes.slice(0, cut)), ...p.push(bytes.slice(cut)), ...p.flush()];
      expect(frames).toEqual([{ data: "héllo 🌍" }, { data: "last" }]);
    }
  });

  it("keeps the value after one optional space, and a field without a colon has an empty value", () => {
    expect(parseSse("data:x\ndata:  two\ndata\n\n")).toEqual([{ data: "x\n two\n" }]);
  });
});
