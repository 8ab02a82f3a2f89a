import { describe, expect, it } from "vitest";
import { foldStream, readAnswer } from "./attempt";

describe("the result contract (docs/agent-contract.md, Results)", () => {
  it("takes the answer's output, else the whole answer, with usage and logs", () => {
    expect(readAnswer(JSON.stringify({ output: { words: 3 }, usage: { cpu_time: 4 }, logs: ["a", 1] }))).toEqual({
      output: { words: 3 },
      usage: { memory_used: null, cpu_time: 4, tokens_used: null },
      logs: ["a"],
    });
    expect(readAnswer(JSON.stringify({ response: "hi", turn: 1 })).output).toEqual({ response: "hi", turn: 1 });
    expect(readAnswer("plain text").output).toBe("plain text");
  });

  it("folds a streamed answer: chunks into response, the summary frame's output kept", () => {
    const sse =
      'data: {"chunk":"# Ti"}\n\ndata: {"chunk":"tle"}\n\ndata: {"done":true,"turn":1,"output":"<h1>Title</h1>"}\n\ndata: [DONE]\n\n';
    expect(readAnswer(foldStream(sse)).output).toBe("<h1>Title</h1>");
    expect(JSON.parse(foldStream(sse))).toMatchObject({ response: "# Title", turn: 1 });
  });
});
