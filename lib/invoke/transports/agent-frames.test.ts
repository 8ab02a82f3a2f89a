import { describe, expect, it } from "vitest";
import { SseParser } from "@/lib/events/sse-parse";
import { agentFrameOf, agentFrames, parseAgentMessage } from "./agent-frames";

describe("parseAgentMessage", () => {
  it("reads the seed's chunk frames and the end marker", () => {
    const text = 'data: {"chunk": "First part"}\n\ndata: {"chunk": "Second"}\n\ndata: [DONE]\n\n';
    expect(parseAgentMessage(text)).toEqual([
      { type: "chunk", text: "First part" },
      { type: "chunk", text: "Second" },
      { type: "done" },
    ]);
  });

  it("reads errors, metadata objects, JSON strings, plain text and CRLF line ends", () => {
    expect(parseAgentMessage('data: {"error":"ValidationError","message":"bad"}\r\n\r\n')).toEqual([
      { type: "error", error: "ValidationError", message: "bad" },
    ]);
    expect(parseAgentMessage('data: {"done":true,"turn":2}\n\n')).toEqual([
      { type: "meta", data: { done: true, turn: 2 } },
    ]);
    expect(parseAgentMessage('data: "quoted text"\n\n')).toEqual([{ type: "chunk", text: "quoted text" }]);
    expect(parseAgentMessage("data: plain words\n\n")).toEqual([{ type: "chunk", text: "plain words" }]);
    expect(parseAgentMessage("data: {not json\n\n")).toEqual([{ type: "chunk", text: "{not json" }]);
  });

  it("joins multi-line data and ignores comments, event and id lines", () => {
    expect(parseAgentMessage(": heartbeat\n\nevent: message\nid: 3\ndata: line one\ndata: line two\n\n")).toEqual([
      { type: "chunk", text: "line one\nline two" },
    ]);
  });

  it("gives no chunk for the end marker or a comment", () => {
    expect(parseAgentMessage("data: [DONE]\n\n")).toEqual([{ type: "done" }]);
    expect(parseAgentMessage(": ping\n\n")).toEqual([]);
  });

  it("keeps a chunk's own spacing and newlines", () => {
    expect(agentFrameOf(JSON.stringify({ chunk: "  two spaces\n\nand a blank line " }))).toEqual({
      type: "chunk",
      text: "  two spaces\n\nand a blank line ",
    });
  });
});

describe("agent frames from a byte stream", () => {
  it("reassembles events split at any byte, including inside a multi-byte character", () => {
    const text = 'data: {"chunk":"héllo 🌍"}\n\ndata: {"chunk":"wörld"}\n\ndata: [DONE]\n\n';
    const bytes = new TextEncoder().encode(text);
    for (let cut = 1; cut < bytes.length; cut++) {
      const p = new SseParser();
      const frames = agentFrames([...p.push(bytes.slice(0, cut)), ...p.push(bytes.slice(cut)), ...p.flush()]);
      expect(frames).toEqual([{ type: "chunk", text: "héllo 🌍" }, { type: "chunk", text: "wörld" }, { type: "done" }]);
    }
  });

  it("flushes a last event that has no trailing blank line", () => {
    const p = new SseParser();
    expect(agentFrames(p.push('data: {"chunk":"a"}'))).toEqual([]);
    expect(agentFrames(p.flush())).toEqual([{ type: "chunk", text: "a" }]);
  });
});
