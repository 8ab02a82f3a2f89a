"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { z } from "zod";
import type { disputeSchema, resolveDisputeBody } from "@/lib/api/contracts/disputes";
import { api } from "./api";
import { qk } from "./keys";
import type { Page } from "./types";

/* Disputes (lib/api/contracts/disputes.ts): a job's dispute for its parties, and the admin's open list. */

export type Dispute = z.infer<typeof disputeSchema>;
export type DisputeResolution = z.infer<typeof resolveDisputeBody>;

// Under the job's key, so that the job's live invalidation (SSE, a transition) refreshes its dispute too.
const jobDisputeKey = (jobId: string, disputeId: string) => [...qk.job(jobId), "dispute", disputeId] as const;
export const openDisputesKey = ["disputes", "open"] as const;

export function useJobDispute(jobId: string, disputeId: string | null) {
  return useQuery({
    enabled: !!disputeId,
    queryKey: jobDisputeKey(jobId, disputeId ?? "none"),
    queryFn: ({ signal }) => api<Dispute>(`/api/disputes/${disputeId}`, { signal }),
  });
}

export function useOpenDispute(jobId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (reason: string) => api<Dispute>(`/api/jobs/${jobId}/dispute`, { method: "POST", body: { reason } }),
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: qk.job(jobId) });
      void qc.invalidateQueries({ queryKey: qk.jobsAll });
    },
  });
}

export function useOpenDisputes(initial?: Page<Dispute>) {
  return useQuery({
    initialData: initial,
    queryKey: openDisputesKey,
    queryFn: ({ signal }) => api<Page<Dispute>>("/api/disputes", { query: { limit: 100 }, signal }),
  });
}

export function useResolveDispute() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, body }: { id: string; body: DisputeResolution }) =>
      api<Dispute>(`/api/disputes/${id}/resolve`, { method: "POST", body }),
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: openDisputesKey });
      void qc.invalidateQueries({ queryKey: qk.jobAll });
    },
  });
}
