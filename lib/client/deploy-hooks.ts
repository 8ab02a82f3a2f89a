"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect } from "react";
import { api } from "./api";
import type {
  AgentMetrics,
  DeployResult,
  Deployment,
  DeploymentAction,
  DeploymentActionResult,
  Granularity,
  MarketEvent,
} from "./types";
import { qk } from "./keys";
import { MARKET_EVENT } from "./live";

/* react-query hooks of the owner's Deployments area (lib/api/contracts/deployments.ts and its neighbours). */

/** A rollout writes its phases and traffic steps without an event per step: while it runs, the view polls. */
const POLL_MS = 2_000;

export function useDeployment(agentId: string, id: string, initial?: Deployment) {
  return useQuery({
    queryKey: qk.deployment(agentId, id),
    queryFn: ({ signal }) => api<Deployment>(`/api/agents/${agentId}/deployments/${id}`, { signal }),
    initialData: initial,
    refetchInterval: (q) => (q.state.data?.status === "deploying" ? POLL_MS : false),
  });
}

export interface MetricsWindow {
  /** Minutes back from now. */
  minutes: number;
  granularity: Granularity;
  environment?: string;
}

export function useAgentMetrics(agentId: string, w: MetricsWindow) {
  const query = { minutes: String(w.minutes), granularity: w.granularity, environment: w.environment };
  return useQuery({
    queryKey: qk.metrics(agentId, query),
    queryFn: ({ signal }) => {
      const end = new Date();
      return api<AgentMetrics>(`/api/agents/${agentId}/metrics`, {
        query: {
          start_time: new Date(end.getTime() - w.minutes * 60_000).toISOString(),
          end_time: end.toISOString(),
          granularity: w.granularity,
          environment: w.environment,
        },
        signal,
      });
    },
    refetchInterval: 30_000,
  });
}

/** Refreshes the agent's deployment reads when one of its deployments starts or ends (the page's live stream). */
export function useDeploymentEvents(agentId: string, onEvent?: () => void) {
  const qc = useQueryClient();
  useEffect(() => {
    const listener = (e: Event) => {
      const ev = (e as CustomEvent<MarketEvent>).detail;
      if (ev.subject_type !== "deployment" || !ev.agent_ids.includes(agentId)) return;
      void qc.invalidateQueries({ queryKey: qk.deploymentsOf(agentId) });
      onEvent?.();
    };
    window.addEventListener(MARKET_EVENT, listener);
    return () => window.removeEventListener(MARKET_EVENT, listener);
  }, [agentId, qc, onEvent]);
}

export function useDeploy(agentId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: Record<string, unknown>) => api<DeployResult>("/api/agents/deploy", { method: "POST", body }),
    onSuccess: () => qc.invalidateQueries({ queryKey: qk.deploymentsOf(agentId) }),
  });
}

export function useUpdateVersion(agentId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ version, body }: { version: string; body: Record<string, unknown> }) =>
      api<Deployment>(`/api/agents/${agentId}/versions/${encodeURIComponent(version)}`, { method: "PUT", body }),
    onSuccess: () => qc.invalidateQueries({ queryKey: qk.deploymentsOf(agentId) }),
  });
}

export function useDeploymentAction(agentId: string, id: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ action, reason }: { action: DeploymentAction; reason?: string }) =>
      api<DeploymentActionResult>(`/api/agents/${agentId}/deployments/${id}/${action}`, {
        method: "POST",
        body: reason ? { reason } : {},
      }),
    onSuccess: () => qc.invalidateQueries({ queryKey: qk.deploymentsOf(agentId) }),
  });
}
