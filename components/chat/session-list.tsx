"use client";

import { SectionTitle } from "@/components/ui/card";
import { timeAgo } from "@/components/ui/format";
import { EmptyState, ErrorState, Skeleton } from "@/components/ui/states";
import { useSessions } from "@/lib/client/hooks";

/** The caller's earlier sessions with this agent; each opens its transcript (and puts it in the address). */
export function SessionList({
  agentId,
  current,
  onOpen,
}: {
  agentId: string;
  current: string | null;
  onOpen: (sessionId: string) => void;
}) {
  const sessions = useSessions(agentId);
  return (
    <>
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
              <a
                href={`?session=${encodeURIComponent(s.session_id)}`}
                onClick={(e) => {
                  if (e.metaKey || e.ctrlKey || e.shiftKey || e.button !== 0) return;
                  e.preventDefault();
                  onOpen(s.session_id);
                }}
                aria-current={s.session_id === current ? "page" : undefined}
                className={`block w-full rounded-md px-2 py-1.5 text-left hover:bg-subtle ${s.session_id === current ? "bg-subtle" : ""}`}
              >
                <span className="block truncate font-medium">{s.title || "Untitled"}</span>
                <span className="text-xs text-muted">
                  {s.invocation_count} invocation{s.invocation_count === 1 ? "" : "s"} · {timeAgo(s.last_used_at)}
                </span>
              </a>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
