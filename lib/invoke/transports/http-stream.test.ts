import { describe, expect, it } from "vitest";
import { InvocationError } from "../errors";
import { readAnswerBody } from "./http-stream";
import { formatChunkFrame } from "@/test/doubles/agentcore/protocol";

const enc = (s: string) => new TextEncoder().encode(s);

async function* body(parts: string[], failAfter?: number): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < parts.length; i++) {
    if (failAfter === i) throw Object.assign(new Error("socket hang up"), { code: "ECONNRESET" });
    yield enc(parts[i]!);
  }
  if (failAfter === parts.length) throw Object.assign(new Error("socket hang up"), { code: "ECONNRESET" });
}

const read = (
  b: AsyncIterable<Uint8Array>,
  contentType: string,
  extra: Partial<Parameters<typeof readAnswerBody>[1]> = {},
) => readAnswerBody(b, { contentType, idleTimeoutMs: 1000, startedAt: performance.now(), cancel: () => {}, ...extra });

describe("readAnswerBody", () => {
  it("takes a JSON answer's `response` as one chunk", async () => {
    const out = await read(body(['{"response":"turn 1: ', 'hello","turn":1}']), "application/json");
    expect(out).toMatchObject({ text: "turn 1: hello", chunks: 1, incomplete: false });
  });

  it("turns a JSON error body into the agent's error", async () => {
    const err = await read(body(['{"error":"ValidationError","message":"send text"}']), "application/json").catch(
      (e) => e,
    );
    expect(err).toBeInstanceOf(InvocationError);
    expect(err).toMatchObject({ status: 400, retryable: false });
  });

  it("streams SSE chunks and ends at [DONE]", async () => {
    const seen: string[] = [];
    const out = await read(
      body([
        formatChunkFrame("a") + formatChunkFrame("b").slice(0, 5),
        formatChunkFrame("b").slice(5),
        "data: [DONE]\n\n",
      ]),
      "text/event-stream",
      {
        onChunk: (t) => seen.push(t),
      },
    );
    expect(seen).toEqual(["a", "b"]);
    expect(out).toMatchObject({ text: "ab", chunks: 2, incomplete: false });
  });

  it("marks an SSE body that ends or breaks after some chunks as incomplete", async () => {
    expect(await read(body([formatChunkFrame("a")]), "text/event-stream")).toMatchObject({
      text: "a",
      incomplete: true,
    });
    expect(await read(body([formatChunkFrame("a"), formatChunkFrame("b")], 1), "text/event-stream")).toMatchObject({
      text: "a",
      incomplete: true,
    });
  });

  it("is a retryable 503 when the body breaks before any chunk", async () => {
    const err = await read(body([": hello\n\n"], 1), "text/event-stream").catch((e) => e);
    expect(err).toMatchObject({ name: "ServiceUnavailableError", retryable: true });
  });

  it("is a 504 when nothing arrives within the idle timeout", async () => {
    let release!: () => void;
    const stuck = (async function* () {
      await new Promise<void>((r) => (release = r));
      throw new Error("destroyed");
    })();
    const err = await read(stuck, "text/event-stream", { idleTimeoutMs: 20, cancel: () => release() }).catch((e) => e);
    expect(err).toMatchObject({ name: "TimeoutError", status: 504 });
  });
});
