"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useSearchParams } from "next/navigation";
import { useCallback, useEffect, useRef, useState } from "react";
import { api, ApiClientError } from "@/lib/client/api";
import { invokeStream } from "@/lib/client/invoke";
import { qk } from "@/lib/client/keys";
import { turnsOf, type SessionDetail, type Turn } from "./transcript";

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
type Patch = Partial<Turn> | ((t: Turn) => Partial<Turn>);

/** The view with its last bubble (the answer being streamed) changed. */
function patchLastTurn(v: View, patch: Patch): View {
  const last = v.turns[v.turns.length - 1];
  if (!last) return v;
  const next = { ...last, ...(typeof patch === "function" ? patch(last) : patch) };
  return { ...v, turns: [...v.turns.slice(0, -1), next] };
}

interface View {
  /** The session the address named when this view was set up (undefined before the first render). */
  url: string | null | undefined;
  generation: number;
  sessionId: string | null;
  turns: Turn[];
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
    turns: [],
    notice: null,
    loading: false,
  });
  const abort = useRef<AbortController | null>(null);

  // The address names another session (first load, a click in the list, back and forward, "New chat"): start over
  // from its stored transcript. Adjusted while rendering, as React advises for state that follows a prop.
  if (!busy && (view.url !== urlSession || view.generation !== generation)) {
    setView({ url: urlSession, generation, sessionId: urlSession, turns: [], notice: null, loading: !!urlSession });
  }

  useEffect(() => {
    const id = view.url;
    if (!view.loading || !id) return;
    const ctl = new AbortController();
    const mine = (v: View) => v.url === id && v.loading;
    api<SessionDetail>(`/api/sessions/${encodeURIComponent(id)}`, { signal: ctl.signal })
      .then((detail) => {
        const { turns, missing } = turnsOf(detail);
        const notice = missing ? `${missing} earlier turn${missing === 1 ? " was" : "s were"} not stored.` : null;
        setView((v) => (mine(v) ? { ...v, turns, notice, loading: false } : v));
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
  const patchLast = (patch: Patch) => setView((v) => patchLastTurn(v, patch));
  const send = useCallback(
    async (text: string) => {
      if (!text || busy) return;
      setBusy(true);
      setView((v) => ({
        ...v,
        notice: null,
        turns: [...v.turns, { role: "you", text }, { role: "agent", text: "", state: "streaming", chunks: 0 }],
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

  return { sessionId, turns: view.turns, loading: view.loading, notice: view.notice, busy, send, stop, open };
}
