"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { api } from "@/lib/client/api";
import { qk } from "@/lib/client/keys";
import { INBOX_CHANGED } from "@/lib/client/live";

/**
 * POST /api/inbox/read: every unread message of mine, or one job's (`jobId`). The header's badge and the inbox
 * refresh on success.
 */
export function useMarkAllRead() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (jobId?: string) =>
      api<{ marked: number; unread_count: number }>("/api/inbox/read", {
        method: "POST",
        body: jobId ? { job_id: jobId } : {},
      }),
    onSuccess: (res) => {
      if (res.marked === 0) return;
      window.dispatchEvent(new Event(INBOX_CHANGED));
      return qc.invalidateQueries({ queryKey: qk.inboxAll });
    },
  });
}

/** What a failed inbox action tells the person, in plain words. */
export function failedAction(what: string, err: unknown): string {
  const reason = err instanceof Error && err.message ? ` ${err.message}` : "";
  return `Could not ${what}.${reason} Try again.`;
}
