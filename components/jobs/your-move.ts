"use client";

import { useQueries } from "@tanstack/react-query";
import { api } from "@/lib/client/api";
import { qk } from "@/lib/client/keys";
import type { Page, Job } from "@/lib/client/types";

type Role = "client" | "worker";

/** The statuses in which a job waits for the viewer in `role`: a delivery to accept, or work to do. */
export const YOUR_MOVE: Record<Role, readonly string[]> = {
  client: ["delivered"],
  worker: ["pending", "revision_requested"],
};

export function isYourMove(role: Role, status: string): boolean {
  return YOUR_MOVE[role].includes(status);
}

/**
 * How many jobs wait for the viewer, per role: one count (limit=1, the list's total) per waiting status. Under the
 * jobs key, so the SSE invalidation that refreshes the lists refreshes the counts too.
 */
export function useYourMoveCounts(): Record<Role, number | null> {
  const pairs = (["client", "worker"] as const).flatMap((role) => YOUR_MOVE[role].map((status) => [role, status]));
  const results = useQueries({
    queries: pairs.map(([role, status]) => ({
      queryKey: [...qk.jobs(role!, status), "count"],
      queryFn: ({ signal }: { signal: AbortSignal }) =>
        api<Page<Job>>("/api/jobs", { query: { role, status, limit: 1 }, signal }),
    })),
  });
  const sum = (role: Role): number | null => {
    let n = 0;
    for (let i = 0; i < pairs.length; i++) {
      if (pairs[i]![0] !== role) continue;
      const total = results[i]?.data?.total;
      if (total === undefined) return null;
      n += total;
    }
    return n;
  };
  return { client: sum("client"), worker: sum("worker") };
}
