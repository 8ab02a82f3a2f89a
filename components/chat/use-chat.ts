"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useSearchParams } from "next/navigation";
import { useCallback, useEffect, useRef, useState } from "react";
import { api, ApiClientError } from "@/lib/client/api";
import { invokeStream } from "@/lib/client/invoke";
import { qk } from "@/lib/client/keys";
import { bubblesOf, type SessionDetail, type Bubble } from "./transcript";

/** Puts the session id in the address (`?session=`), so that a reload or a shared link opens the same transcript. */
function setSessionParam(sessionId: string | null, mode: "push" | "replace") {
  const url = new URL(window.location.href);
  if (sessionId) url.searchParams.set("session", sessionId);
  else url.searchParams.delete("session");
  if (url.href === window.location.href) return;
  window.history[mode === "push" ? "pushState" : "replaceState"](null, "", url);
}

/**
 * The state of one chat: the session (from the address), its stored transcript, sending with the answer streaming
 * in chunk by chunk, and stopping an answer (which aborts the request; the server then stops relaying).
 */
type Patch = Partial<Bubble> | ((b: Bubble) => Partial<Bubble>);

/** The view with its last bubble (the answer being streamed) changed. */
function patchLastBubble(v: View, patch: Patch): View {
  const last = v.bubbles[v.bubbles.length - 1];
  if (!last) return v;
  const next = { ...last, ...(typeof patch === "function" ? patch(last) : patch) };
  return { ...v, bubbles: [...v.bubbles.slice(0, -1), next] };
}

interface View {
  /** The session the address named when this view was set up (undefined before the first render). */
  url: string | null | undefined;
  generation: number;
  sessionId: string | null;
  bubbles: Bubble[];
  notice: string | null;
  loading: boolean;
}

export function useChat(agentId: string) {
  const qc = useQueryClient();
  const urlSession = useSearchParams().get("session") || null;
  const [generation, setGeneration] = useState(0);
  const [busy, setBusy] = useState(false);
  const [view, setView] = useState<View>({
    url: undefined,
    generation: 0,
    sessionId: null,
    bubbles: [],
    notice: null,
    loading: false,
  });
  const abort = useRef<AbortController | null>(null);

  // The address names another session (first load, a click in the list, back and forward, "New chat"): start over
  // from its stored transcript. Adjusted while rendering, as React advises for state that follows a prop.
  if (!busy && (view.url !== urlSession || view.generation !== generation)) {
    setView({ url: urlSession, generation, sessionId: urlSession, bubbles: [], notice: null, loading: !!urlSession });
  }

  useEffect(() => {
    const id = view.url;
    if (!view.loading || !id) return;
    const ctl = new AbortController();
    const mine = (v: View) => v.url === id && v.loading;
    api<SessionDetail>(`/api/sessions/${encodeURIComponent(id)}`, { signal: ctl.signal })
      .then((detail) => {
        const { bubbles, missing } = bubblesOf(detail);
        const notice = missing ? `${missing} earlier invocation${missing === 1 ? " was" : "s were"} not stored.` : null;
        setView((v) => (mine(v) ? { ...v, bubbles, notice, loading: false } : v));
      })
      .catch((err: unknown) => {
        if (ctl.signal.aborted) return;
        const notice =
          err instanceof ApiClientError && err.status === 404
            ? "That session was not found: this is a new chat."
            : "The transcript could not be loaded.";
        setView((v) => (mine(v) ? { ...v, sessionId: null, notice, loading: false } : v));
      });
    return () => ctl.abort();
  }, [view.url, view.loading]);

  useEffect(() => () => abort.current?.abort(), []);

  const { sessionId } = view;
  const patchLast = (patch: Patch) => setView((v) => patchLastBubble(v, patch));
  const send = useCallback(
    async (text: string) => {
      if (!text || busy) return;
      setBusy(true);
      setView((v) => ({
        ...v,
        notice: null,
        bubbles: [...v.bubbles, { role: "you", text }, { role: "agent", text: "", state: "streaming", chunks: 0 }],
      }));
      const ctl = new AbortController();
      abort.current = ctl;
      try {
        const done = await invokeStream(
          { agentId, prompt: text, ...(sessionId ? { sessionId } : {}) },
          {
            onChunk: (chunk) => patchLast((t) => ({ text: t.text + chunk, chunks: (t.chunks ?? 0) + 1 })),
            signal: ctl.signal,
          },
        );
        // The view now follows this session: the address changes to it without reloading the transcript.
        setView((v) => ({ ...v, url: done.sessionId, sessionId: done.sessionId }));
        setSessionParam(done.sessionId, "replace");
        patchLast({ state: done.incomplete ? "incomplete" : "done" });
      } catch (err) {
        if (ctl.signal.aborted) patchLast({ state: "stopped" });
        else {
          const message = err instanceof Error ? err.message : "The agent failed";
          patchLast((t) => ({ state: "error", text: t.text || message }));
        }
      } finally {
        abort.current = null;
        setBusy(false);
        void qc.invalidateQueries({ queryKey: qk.sessionsAll });
      }
    },
    [agentId, busy, qc, sessionId],
  );

  const stop = useCallback(() => abort.current?.abort(), []);

  /** Opens a stored session, or a new chat (null); opening the current one again reloads its transcript. */
  const open = useCallback((id: string | null) => {
    if (abort.current) return;
    setGeneration((g) => g + 1);
    setSessionParam(id, "push");
  }, []);

  return { sessionId, bubbles: view.bubbles, loading: view.loading, notice: view.notice, busy, send, stop, open };
}
