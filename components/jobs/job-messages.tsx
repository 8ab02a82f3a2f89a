"use client";

import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Card, SectionTitle } from "@/components/ui/card";
import { MessageBox } from "@/components/ui/field";
import { formatDateTime } from "@/components/ui/format";
import { ErrorState } from "@/components/ui/states";
import { useJobMessages, useSendJobMessage } from "@/lib/client/hooks";
import type { JobDetail, Message } from "@/lib/client/types";

/** The loaded messages of a job, oldest first (pages arrive newest first). */
export function loadedMessages(pages: { data: Message[] }[] | undefined): Message[] {
  return (pages ?? []).flatMap((p) => p.data).reverse();
}

/** The job's messages, the latest page first with earlier ones on demand, and a form to write to the other party. */
export function JobMessages({ job }: { job: JobDetail }) {
  const list = useJobMessages(job.id);
  const send = useSendJobMessage(job.id);
  const [text, setText] = useState("");
  const messages = loadedMessages(list.data?.pages);
  return (
    <Card>
      <SectionTitle>Messages{job.messages_count > 0 ? ` (${job.messages_count})` : ""}</SectionTitle>
      {list.error ? <ErrorState message={list.error.message} /> : null}
      {list.hasNextPage ? (
        <Button
          variant="secondary"
          className="mb-3"
          disabled={list.isFetchingNextPage}
          onClick={() => void list.fetchNextPage()}
        >
          {list.isFetchingNextPage ? "Loading…" : "Show earlier messages"}
        </Button>
      ) : null}
      {messages.length === 0 ? (
        <p className="text-sm text-muted">
          {list.isPending && job.messages_count > 0 ? "Loading…" : "No messages yet."}
        </p>
      ) : (
        <ul className="space-y-2">
          {messages.map((m) => (
            <li
              key={m.id}
              className={`rounded-lg p-3 text-sm ${m.kind === "system" ? "bg-subtle" : "border border-line"}`}
            >
              <p className="text-xs text-muted">
                {m.sender ? m.sender.name : "System"} · {formatDateTime(m.created_at)}
              </p>
              <p className="font-medium">{m.subject}</p>
              <p className="whitespace-pre-line">{m.body}</p>
            </li>
          ))}
        </ul>
      )}
      <form
        className="mt-4 space-y-2"
        onSubmit={(e) => {
          e.preventDefault();
          if (text.trim()) send.mutate({ body: text }, { onSuccess: () => setText("") });
        }}
      >
        <MessageBox id="message" value={text} onValueChange={setText} placeholder="Write to the other party…" />
        <div className="flex items-center gap-2">
          <Button type="submit" variant="secondary" disabled={send.isPending || !text.trim()}>
            Send
          </Button>
          {send.isError ? <span className="text-sm text-bad">{send.error.message}</span> : null}
        </div>
      </form>
    </Card>
  );
}
