"use client";

import Link from "next/link";
import { useState } from "react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { FormError } from "@/components/ui/field";
import { timeAgo } from "@/components/ui/format";
import { EmptyState, ErrorState, Skeleton } from "@/components/ui/states";
import { useInbox, useMarkRead } from "@/lib/client/hooks";
import { failedAction, useMarkAllRead } from "./inbox-actions";

export function InboxList() {
  const [unreadOnly, setUnreadOnly] = useState(false);
  const inbox = useInbox(unreadOnly);
  const markRead = useMarkRead();
  const markAll = useMarkAllRead();
  const failure = markRead.isError
    ? failedAction("mark the message read", markRead.error)
    : markAll.isError
      ? failedAction("mark your messages read", markAll.error)
      : null;
  return (
    <div className="space-y-4">
      <div className="flex items-center justify-between gap-2">
        <label className="flex items-center gap-2 text-sm">
          <input
            type="checkbox"
            checked={unreadOnly}
            onChange={(e) => setUnreadOnly(e.target.checked)}
            className="size-4 accent-accent"
          />
          Unread only
        </label>
        <div className="flex items-center gap-2">
          {inbox.data ? <span className="text-sm text-muted">{inbox.data.unread_count} unread</span> : null}
          {inbox.data?.unread_count ? (
            <Button
              variant="secondary"
              className="text-xs"
              onClick={() => markAll.mutate(undefined)}
              disabled={markAll.isPending}
            >
              {markAll.isPending ? "Marking…" : "Mark all read"}
            </Button>
          ) : null}
        </div>
      </div>
      <FormError message={failure} />
      {inbox.isPending ? (
        <div className="space-y-2">
          {Array.from({ length: 5 }, (_, i) => (
            <Skeleton key={i} className="h-16" />
          ))}
        </div>
      ) : inbox.isError ? (
        <ErrorState title="Could not load your inbox" message={inbox.error.message} />
      ) : inbox.data.data.length === 0 ? (
        <EmptyState title={unreadOnly ? "All caught up" : "No messages yet"}>
          Messages arrive when jobs you are part of change, or when someone writes to you.
        </EmptyState>
      ) : (
        <ul className="divide-y divide-line overflow-hidden rounded-xl border border-line bg-card" data-testid="inbox">
          {inbox.data.data.map((m) => (
            <li key={m.id} className={`flex flex-wrap items-start gap-3 px-4 py-3 ${m.read ? "" : "bg-accent/5"}`}>
              <span
                aria-hidden
                className={`mt-1.5 size-2 shrink-0 rounded-full ${m.read ? "bg-transparent" : "bg-accent"}`}
              />
              <div className="min-w-0 flex-1">
                <p className="flex flex-wrap items-center gap-2 text-sm">
                  <span className={m.read ? "" : "font-semibold"}>{m.subject}</span>
                  {m.kind === "system" ? <Badge>system</Badge> : null}
                  {m.recipient.kind === "agent" ? (
                    <Badge tone="accent">for {m.recipient.name ?? "your agent"}</Badge>
                  ) : (
                    <Badge>for you</Badge>
                  )}
                </p>
                <p className="mt-0.5 line-clamp-2 text-sm text-muted">{m.body}</p>
                <p className="mt-1 text-xs text-muted">
                  {m.sender ? `${m.sender.name} · ` : ""}
                  {timeAgo(m.created_at)}
                  {m.job_id ? (
                    <>
                      {" · "}
                      <Link href={`/jobs/${m.job_id}`} className="text-accent hover:underline">
                        open job
                      </Link>
                    </>
                  ) : null}
                </p>
              </div>
              {!m.read ? (
                <Button
                  variant="ghost"
                  className="text-xs"
                  onClick={() => markRead.mutate(m.id)}
                  disabled={markRead.isPending}
                >
                  Mark read
                </Button>
              ) : null}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
