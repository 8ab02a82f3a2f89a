"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useEffect, useRef, useState } from "react";
import { Button } from "@/components/ui/button";
import { Card, SectionTitle } from "@/components/ui/card";
import { MessageBox } from "@/components/ui/field";
import { timeAgo } from "@/components/ui/format";
import { EmptyState, ErrorState, Skeleton, Spinner } from "@/components/ui/states";
import { useSessions } from "@/lib/client/hooks";
import { invokeStream } from "@/lib/client/invoke";
import { qk } from "@/lib/client/keys";

interface Turn {
  role: "you" | "agent";
  text: string;
  chunks?: number;
  state?: "streaming" | "done" | "incomplete" | "error";
}

/**
 * Chat with an invocable agent: each answer streams in chunk by chunk; the session id from the first answer is
 * sent with every later prompt so the agent keeps the conversation. Earlier sessions can be continued (their
 * text is not stored by the platform, only the session).
 */
export function ChatView({
  agentId,
  agentName,
  initialSession,
}: {
  agentId: string;
  agentName: string;
  initialSession: string | null;
}) {
  const qc = useQueryClient();
  const sessions = useSessions(agentId);
  const [sessionId, setSessionId] = useState<string | null>(initialSession);
  const [turns, setTurns] = useState<Turn[]>([]);
  const [prompt, setPrompt] = useState("");
  const [busy, setBusy] = useState(false);
  const abort = useRef<AbortController | null>(null);
  const bottom = useRef<HTMLDivElement>(null);

  useEffect(() => {
    bottom.current?.scrollIntoView({ block: "nearest" });
  }, [turns]);
  useEffect(
    () => () => {
      abort.current?.abort();
    },
    [],
  );

  const patchLast = (patch: Partial<Turn> | ((t: Turn) => Partial<Turn>)) =>
    setTurns((list) => {
      const last = list[list.length - 1];
      if (!last) return list;
      return [...list.slice(0, -1), { ...last, ...(typeof patch === "function" ? patch(last) : patch) }];
    });

  async function send(e: React.FormEvent) {
    e.preventDefault();
    const text = prompt.trim();
    if (!text || busy) return;
    setPrompt("");
    setBusy(true);
    setTurns((t) => [...t, { role: "you", text }, { role: "agent", text: "", state: "streaming", chunks: 0 }]);
    abort.current = new AbortController();
    try {
      const done = await invokeStream(
        { agentId, prompt: text, ...(sessionId ? { sessionId } : {}) },
        {
          onChunk: (chunk) => patchLast((t) => ({ text: t.text + chunk, chunks: (t.chunks ?? 0) + 1 })),
          signal: abort.current.signal,
        },
      );
      setSessionId(done.sessionId);
      patchLast({ state: done.incomplete ? "incomplete" : "done" });
      void qc.invalidateQueries({ queryKey: qk.sessionsAll });
    } catch (err) {
      patchLast((t) => ({ state: "error", text: t.text || (err instanceof Error ? err.message : "The agent failed") }));
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="grid gap-6 *:min-w-0 lg:grid-cols-4">
      <div className="lg:col-span-3">
        <Card className="flex min-h-[60vh] flex-col">
          <div className="mb-3 flex flex-wrap items-center justify-between gap-2 border-b border-line pb-3">
            <h1 className="text-lg font-semibold">Chat with {agentName}</h1>
            <div className="flex items-center gap-2 text-xs text-muted">
              {sessionId ? (
                <span data-testid="session-id" title={sessionId}>
                  session …{sessionId.slice(-8)}
                </span>
              ) : (
                <span>new session</span>
              )}
              <Button
                variant="ghost"
                className="text-xs"
                onClick={() => {
                  setSessionId(null);
                  setTurns([]);
                }}
                disabled={busy}
              >
                New chat
              </Button>
            </div>
          </div>
          <div className="flex-1 space-y-3 overflow-y-auto" aria-live="polite" data-testid="transcript">
            {turns.length === 0 ? (
              <p className="py-10 text-center text-sm text-muted">
                {sessionId
                  ? "Continuing an earlier session: the agent remembers it, this page does not."
                  : `Say hello to ${agentName}.`}
              </p>
            ) : (
              turns.map((t, i) => (
                <div key={i} className={`flex ${t.role === "you" ? "justify-end" : "justify-start"}`}>
                  <div
                    data-testid={t.role === "agent" ? "answer" : "prompt"}
                    data-state={t.state}
                    data-chunks={t.chunks}
                    className={`max-w-[85%] whitespace-pre-wrap break-words rounded-2xl px-4 py-2 text-sm ${
                      t.role === "you"
                        ? "bg-accent text-accent-fg"
                        : t.state === "error"
                          ? "bg-bad/10 text-bad"
                          : "bg-subtle"
                    }`}
                  >
                    {t.text || (t.state === "streaming" ? <Spinner label="Thinking" /> : null)}
                    {t.state === "incomplete" ? (
                      <span className="mt-1 block text-xs text-warn">(answer incomplete)</span>
                    ) : null}
                  </div>
                </div>
              ))
            )}
            <div ref={bottom} />
          </div>
          <form onSubmit={send} className="mt-4 flex gap-2 border-t border-line pt-3">
            <MessageBox
              id="prompt"
              value={prompt}
              onValueChange={setPrompt}
              submitOnEnter
              placeholder="Ask something… (Enter to send, Shift+Enter for a new line)"
              className="flex-1"
            />
            <Button type="submit" disabled={busy || !prompt.trim()} className="self-end">
              Send
            </Button>
          </form>
        </Card>
      </div>
      <Card>
        <SectionTitle>Earlier sessions</SectionTitle>
        {sessions.isPending ? (
          <Skeleton className="h-24" />
        ) : sessions.isError ? (
          <ErrorState message={sessions.error.message} />
        ) : sessions.data.data.length === 0 ? (
          <EmptyState title="None yet" />
        ) : (
          <ul className="space-y-1 text-sm" data-testid="sessions">
            {sessions.data.data.map((s) => (
              <li key={s.session_id}>
                <button
                  type="button"
                  onClick={() => {
                    setSessionId(s.session_id);
                    setTurns([]);
                  }}
                  aria-current={s.session_id === sessionId}
                  className={`w-full rounded-md px-2 py-1.5 text-left hover:bg-subtle ${s.session_id === sessionId ? "bg-subtle" : ""}`}
                >
                  <span className="block truncate font-medium">{s.title || "Untitled"}</span>
                  <span className="text-xs text-muted">
                    {s.turns} turn{s.turns === 1 ? "" : "s"} · {timeAgo(s.last_used_at)}
                  </span>
                </button>
              </li>
            ))}
          </ul>
        )}
      </Card>
    </div>
  );
}
