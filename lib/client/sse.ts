"use client";

import { useEffect, useRef, useState } from "react";
import { RESYNC_EVENT } from "@/lib/client/live";
import { SseParser, type SseFrame } from "@/lib/events/sse-parse";

/**
 * An event as the client hands it on (lib/events/sse-parse.ts parses the frames): the name defaults to
 * "message" and the last id carries over to the events after it, as in EventSource.
 */
export type SseMessage = Required<Pick<SseFrame, "event" | "data">> & { id: string | null };

export type SseStatus = "connecting" | "open" | "reconnecting" | "closed";

export interface SseOptions {
  /** Called for every frame; return "stop" to end the subscription (e.g. after a final `done` event). */
  onFrame: (frame: SseMessage) => void | "stop";
  onStatus?: (status: SseStatus) => void;
  /** Resume point for the first connection (later ones use the last id received). */
  lastEventId?: string | null;
  /** Reconnect when the server ends the stream normally (live feeds: yes; finite streams: no, or "until done"). */
  reconnectOnEnd?: boolean | (() => boolean);
  /** Extra request headers (e.g. Accept). */
  headers?: Record<string, string>;
}

/** Feeds text chunks to the SSE parser and emits each event (frames with data or a name) as an SseMessage. */
export function sseMessages(emit: (message: SseMessage) => void): (chunk: string) => void {
  const parser = new SseParser();
  let id: string | null = null;
  return (chunk) => {
    for (const f of parser.push(chunk)) {
      if (f.id !== undefined) id = f.id;
      if (f.data === undefined && !f.event) continue;
      emit({ id, event: f.event || "message", data: f.data ?? "" });
    }
  };
}

/**
 * Follows an SSE URL with fetch (so every event name arrives, and Last-Event-ID is ours to send). After a dropped
 * connection it reconnects with backoff and sends the last id received, so the server replays what was missed.
 * Returns a function that ends the subscription.
 */
export function subscribeSse(url: string, opts: SseOptions): () => void {
  const ctrl = new AbortController();
  let lastId = opts.lastEventId ?? null;
  let stopped = false;
  let attempt = 0;
  const status = (s: SseStatus) => opts.onStatus?.(s);

  const run = async () => {
    while (!stopped) {
      status(attempt === 0 ? "connecting" : "reconnecting");
      let ended = false;
      try {
        const headers: Record<string, string> = { accept: "text/event-stream", ...opts.headers };
        if (lastId) headers["last-event-id"] = lastId;
        const res = await fetch(url, { headers, signal: ctrl.signal, cache: "no-store", credentials: "same-origin" });
        // A 4xx will not get better by retrying (gone, forbidden): stop.
        if (res.status >= 400 && res.status < 500) {
          stopped = true;
          break;
        }
        if (!res.ok || !res.body) throw new Error(`status ${res.status}`);
        status("open");
        attempt = 0;
        const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
        const parse = sseMessages((frame) => {
          if (frame.id) lastId = frame.id;
          // The events after our last id were pruned (docs/events.md, Retention): the page refetches everything.
          if (frame.event === "resync" && typeof window !== "undefined") window.dispatchEvent(new Event(RESYNC_EVENT));
          if (opts.onFrame(frame) === "stop") {
            stopped = true;
            ctrl.abort();
          }
        });
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          parse(value);
        }
        ended = true;
      } catch {
        if (stopped || ctrl.signal.aborted) break;
      }
      const again = typeof opts.reconnectOnEnd === "function" ? opts.reconnectOnEnd() : !!opts.reconnectOnEnd;
      if (stopped || (ended && !again)) break;
      attempt += 1;
      const wait = Math.min(10_000, 500 * 2 ** Math.min(attempt, 5));
      await new Promise((r) => setTimeout(r, wait));
    }
    status("closed");
  };
  void run();
  return () => {
    stopped = true;
    ctrl.abort();
  };
}

/** React binding of subscribeSse; `url = null` means not subscribed. The handler may change between renders. */
export function useSse(
  url: string | null,
  onFrame: SseOptions["onFrame"],
  opts: Omit<SseOptions, "onFrame" | "onStatus"> = {},
) {
  const handler = useRef(onFrame);
  const [status, setStatus] = useState<SseStatus>("connecting");
  useEffect(() => {
    handler.current = onFrame;
  });
  const again = useRef(opts.reconnectOnEnd);
  useEffect(() => {
    again.current = opts.reconnectOnEnd;
  });
  const { lastEventId } = opts;
  useEffect(() => {
    if (!url) return;
    return subscribeSse(url, {
      onFrame: (f) => handler.current(f),
      onStatus: setStatus,
      reconnectOnEnd: () => {
        const r = again.current;
        return typeof r === "function" ? r() : !!r;
      },
      lastEventId,
    });
  }, [url, lastEventId]);
  return status;
}
