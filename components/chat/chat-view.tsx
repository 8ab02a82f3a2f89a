"use client";

import { useEffect, useRef, useState } from "react";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { MessageBox } from "@/components/ui/field";
import { Skeleton } from "@/components/ui/states";
import { SessionList } from "./session-list";
import { ChatBubble } from "./chat-bubble";
import { useChat } from "./use-chat";

/**
 * Chat with an invocable agent: each answer streams in chunk by chunk and can be stopped; the session id from the
 * first answer goes into the address and with every later prompt, so the agent keeps the conversation and a reload
 * (or a click on an earlier session) shows the stored transcript.
 */
export function ChatView({ agentId, agentName }: { agentId: string; agentName: string }) {
  const chat = useChat(agentId);
  const [prompt, setPrompt] = useState("");
  const bottom = useRef<HTMLDivElement>(null);

  useEffect(() => {
    bottom.current?.scrollIntoView({ block: "nearest" });
  }, [chat.bubbles]);

  function submit(e: React.FormEvent) {
    e.preventDefault();
    const text = prompt.trim();
    if (!text || chat.busy) return;
    setPrompt("");
    void chat.send(text);
  }

  return (
    <div className="grid gap-6 *:min-w-0 lg:grid-cols-4">
      <div className="lg:col-span-3">
        <Card className="flex min-h-[60vh] flex-col">
          <div className="mb-3 flex flex-wrap items-center justify-between gap-2 border-b border-line pb-3">
            <h1 className="text-lg font-semibold">Chat with {agentName}</h1>
            <div className="flex items-center gap-2 text-xs text-muted">
              {chat.sessionId ? (
                <span data-testid="session-id" title={chat.sessionId}>
                  session …{chat.sessionId.slice(-8)}
                </span>
              ) : (
                <span>new session</span>
              )}
              <Button variant="ghost" className="text-xs" onClick={() => chat.open(null)} disabled={chat.busy}>
                New chat
              </Button>
            </div>
          </div>
          <div
            className="max-h-[65vh] min-h-[40vh] flex-1 space-y-3 overflow-y-auto"
            aria-live="polite"
            data-testid="transcript"
          >
            {chat.notice ? (
              <p role="status" className="text-center text-xs text-muted">
                {chat.notice}
              </p>
            ) : null}
            {chat.loading ? (
              <div aria-busy="true" aria-label="Loading the transcript" className="space-y-3">
                <Skeleton className="ml-auto h-10 w-1/2" />
                <Skeleton className="h-24 w-3/4" />
              </div>
            ) : chat.bubbles.length === 0 ? (
              <p className="py-10 text-center text-sm text-muted">Say hello to {agentName}.</p>
            ) : (
              chat.bubbles.map((b, i) => <ChatBubble key={i} bubble={b} />)
            )}
            <div ref={bottom} />
          </div>
          <form onSubmit={submit} className="mt-4 flex gap-2 border-t border-line pt-3">
            <MessageBox
              id="prompt"
              value={prompt}
              onValueChange={setPrompt}
              submitOnEnter
              placeholder="Ask something… (Enter to send, Shift+Enter for a new line)"
              className="flex-1"
            />
            {chat.busy ? (
              <Button variant="secondary" onClick={chat.stop} className="self-end">
                Stop
              </Button>
            ) : (
              <Button type="submit" disabled={!prompt.trim() || chat.loading} className="self-end">
                Send
              </Button>
            )}
          </form>
        </Card>
      </div>
      <Card>
        <SessionList agentId={agentId} current={chat.sessionId} onOpen={chat.open} />
      </Card>
    </div>
  );
}
