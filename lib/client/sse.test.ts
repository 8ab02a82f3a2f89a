import { describe, expect, it } from "vitest";
import { sseMessages, type SseMessage } from "./sse";

describe("sseMessages", () => {
  it("parses frames split across chunks, keeps ids and names, skips comments", () => {
    const frames: SseMessage[] = [];
    const parse = sseMessages((f) => frames.push(f));
    parse(": heartbeat\n\nid: 4\nevent: job.cre");
    parse('ated\ndata: {"a":1}\n\nid: 5\r\nevent: log\r\ndata: line one\r\ndata: line two\r\n\r\n');
    parse("data: no id or name\n");
    expect(frames).toHaveLength(2);
    parse("\n");
    expect(frames).toEqual([
      { id: "4", event: "job.created", data: '{"a":1}' },
      { id: "5", event: "log", data: "line one\nline two" },
      // The last id carries over, as in EventSource.
      { id: "5", event: "message", data: "no id or name" },
    ]);
  });
});

describe("subscribeSse", () => {
  it("reconnects after a dropped connection with Last-Event-ID and loses no event", async () => {
    const { createServer } = await import("node:http");
    const { subscribeSse } = await import("./sse");
    const seenHeaders: (string | undefined)[] = [];
    // Ids 1..5; the first connection breaks after id 2, mid-stream (no clean end).
    const server = createServer((req, res) => {
      const last = Number(req.headers["last-event-id"] ?? 0);
      seenHeaders.push(req.headers["last-event-id"] as string | undefined);
      res.writeHead(200, { "content-type": "text/event-stream" });
      const first = seenHeaders.length === 1;
      let frames = "";
      for (let id = last + 1; id <= (first ? 2 : 5); id++) frames += `id: ${id}\nevent: tick\ndata: {"n":${id}}\n\n`;
      // Once the bytes are handed to the socket, the first connection breaks.
      if (first) res.write(frames, () => res.socket?.destroy());
      else res.end(frames);
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const { port } = server.address() as { port: number };
    const received: number[] = [];
    await new Promise<void>((resolve) => {
      subscribeSse(`http://127.0.0.1:${port}/events`, {
        onFrame: (f) => {
          received.push(JSON.parse(f.data).n);
          if (received.length === 5) resolve();
        },
        reconnectOnEnd: false,
      });
    });
    server.close();
    expect(received).toEqual([1, 2, 3, 4, 5]);
    expect(seenHeaders).toEqual([undefined, "2"]);
  });
});

describe("subscribeSse and resync", () => {
  it("announces a `resync` on window (the page refetches) and resumes after the resync's id", async () => {
    const { createServer } = await import("node:http");
    const { subscribeSse } = await import("./sse");
    const { RESYNC_EVENT } = await import("./live");
    const g = globalThis as { window?: EventTarget };
    const hadWindow = "window" in g;
    const win = (g.window ??= new EventTarget());
    let resyncs = 0;
    const onResync = () => (resyncs += 1);
    win.addEventListener(RESYNC_EVENT, onResync);
    const seenHeaders: (string | undefined)[] = [];
    // First connection: the resume point is below the horizon, so `resync` (id 40) and the stream ends; the
    // reconnect must ask for the events after 40.
    const server = createServer((req, res) => {
      seenHeaders.push(req.headers["last-event-id"] as string | undefined);
      res.writeHead(200, { "content-type": "text/event-stream" });
      if (seenHeaders.length === 1) res.end('id: 40\nevent: resync\ndata: {"type":"resync"}\n\n');
      else res.end('id: 41\nevent: tick\ndata: {"type":"tick"}\n\n');
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const { port } = server.address() as { port: number };
    const received: string[] = [];
    try {
      await new Promise<void>((resolve) => {
        subscribeSse(`http://127.0.0.1:${port}/events`, {
          lastEventId: "3",
          onFrame: (f) => {
            received.push(f.event);
            if (f.event === "tick") {
              resolve();
              return "stop";
            }
          },
          reconnectOnEnd: true,
        });
      });
    } finally {
      server.close();
      win.removeEventListener(RESYNC_EVENT, onResync);
      if (!hadWindow) delete g.window;
    }
    expect(received).toEqual(["resync", "tick"]);
    expect(resyncs).toBe(1);
    expect(seenHeaders).toEqual(["3", "40"]);
  });
});
