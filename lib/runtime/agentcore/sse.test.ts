import { describe, expect, it } from "vitest";
import { frameOfData, parseSSEMessage, parseSseEvents, SseDecoder } from "./sse";

describe("parseSseEvents", () => {
  it("reads the seed's chunk frames and the end marker", () => {
    const text = 'data: {"chunk": "First part"}\n\ndata: {"chunk": "Second"}\n\ndata: [DONE]\n\n';
    expect(parseSseEvents(text)).toEqual([
      { type: "chunk", text: "First part" },
      { type: "chunk", text: "Second" },
      { type: "done" },
    ]);
  });

  it("reads errors, metadata objects, JSON strings, plain text and CRLF line ends", () => {
    expect(parseSseEvents('data: {"error":"ValidationError","message":"bad"}\r\n\r\n')).toEqual([
      { type: "error", error: "ValidationError", message: "bad" },
    ]);
    expect(parseSseEvents('data: {"done":true,"turn":2}\n\n')).toEqual([
      { type: "meta", data: { done: true, turn: 2 } },
    ]);
    expect(parseSseEvents('data: "quoted text"\n\n')).toEqual([{ type: "chunk", text: "quoted text" }]);
    expect(parseSseEvents("data: plain words\n\n")).toEqual([{ type: "chunk", text: "plain words" }]);
    expect(parseSseEvents("data: {not json\n\n")).toEqual([{ type: "chunk", text: "{not json" }]);
  });

  it("joins multi-line data and ignores comments, event and id lines", () => {
    expect(parseSseEvents(": heartbeat\n\nevent: message\nid: 3\ndata: line one\ndata: line two\n\n")).toEqual([
      { type: "chunk", text: "line one\nline two" },
    ]);
  });

  it("parseSSEMessage gives the chunk text or null", () => {
    expect(parseSSEMessage('data: {"chunk":"hi"}\n\n')).toBe("hi");
    expect(parseSSEMessage("data: [DONE]\n\n")).toBeNull();
    expect(parseSSEMessage(": ping\n\n")).toBeNull();
  });

  it("keeps a chunk's own spacing and newlines", () => {
    expect(frameOfData(JSON.stringify({ chunk: "  two spaces\n\nand a blank line " }))).toEqual({
      type: "chunk",
      text: "  two spaces\n\nand a blank line ",
    });
  });
});

describe("SseDecoder", () => {
  it("reassembles events split at any byte, including inside a multi-byte character", () => {
    const text = 'data: {"chunk":"héllo 🌍"}\n\ndata: {"chunk":"wörld"}\n\ndata: [DONE]\n\n';
    const bytes = new TextEncoder().encode(text);
    for (let cut = 1; cut < bytes.length; cut++) {
      const d = new SseDecoder();
      const frames = [...d.push(bytes.slice(0, cut)), ...d.push(bytes.slice(cut)), ...d.flush()];
      expect(frames).toEqual([{ type: "chunk", text: "héllo 🌍" }, { type: "chunk", text: "wörld" }, { type: "done" }]);
    }
  });

  it("flushes a last event that has no trailing blank line", () => {
    const d = new SseDecoder();
    expect(d.push('data: {"chunk":"a"}')).toEqual([]);
    expect(d.flush()).toEqual([{ type: "chunk", text: "a" }]);
  });
});
