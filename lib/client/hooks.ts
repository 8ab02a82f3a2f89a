"use client";

import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { INBOX_CHANGED } from "@/lib/client/live";
import { api } from "./api";
import { qk } from "./keys";
import type {
  Agent,
  AgentListItem,
  ApiKey,
  CreatedKey,
  Deliverable,
  InboxPage,
  JobAction,
  JobDetail,
  Job,
  Message,
  Page,
  RegisteredAgent,
  Service,
} from "./types";
import type { Execution, SessionList } from "./runtime-types";

/* Reads */

export function useInbox(unread: boolean) {
  return useQuery({
    queryKey: qk.inbox(unread),
    queryFn: ({ signal }) =>
      api<InboxPage>("/api/inbox", { query: { unread: unread ? "true" : undefined, limit: 50 }, signal }),
  });
}

export function useJobs(role: "client" | "worker", status?: string) {
  return useQuery({
    queryKey: qk.jobs(role, status),
    queryFn: ({ signal }) => api<Page<Job>>("/api/jobs", { query: { role, status, limit: 100 }, signal }),
  });
}

export function useJob(id: string, initial?: JobDetail) {
  return useQuery({
    queryKey: qk.job(id),
    queryFn: ({ signal }) => api<JobDetail>(`/api/jobs/${id}`, { signal }),
    initialData: initial,
  });
}

/** A job's deliverables, newest first, a page at a time (each content a preview; see useDeliverable). */
export function useJobDeliverables(id: string, pageSize = 10) {
  return useInfiniteQuery({
    queryKey: qk.jobDeliverables(id),
    queryFn: ({ pageParam, signal }) =>
      api<Page<Deliverable>>(`/api/jobs/${id}/deliverables`, {
        query: { order: "desc", limit: pageSize, cursor: pageParam },
        signal,
      }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.next_cursor ?? undefined,
  });
}

/** One deliverable with its whole content, fetched only when asked for (a truncated preview's "show all"). */
export function useDeliverable(jobId: string, deliverable: Deliverable, enabled: boolean) {
  return useQuery({
    queryKey: qk.jobDeliverable(jobId, deliverable.id),
    queryFn: ({ signal }) => api<Deliverable>(deliverable.content_url, { signal }),
    enabled,
  });
}

/** A job's messages, newest first, a page at a time (the view shows them oldest first). */
export function useJobMessages(id: string, pageSize = 50) {
  return useInfiniteQuery({
    queryKey: qk.jobMessages(id),
    queryFn: ({ pageParam, signal }) =>
      api<Page<Message>>(`/api/jobs/${id}/messages`, {
        query: { order: "desc", limit: pageSize, cursor: pageParam },
        signal,
      }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.next_cursor ?? undefined,
  });
}

export function useMyAgents() {
  return useQuery({
    queryKey: qk.myAgents,
    queryFn: ({ signal }) =>
      api<Page<AgentListItem>>("/api/agents", { query: { owner: "me", limit: 100, sort: "newest" }, signal }),
  });
}

/** An agent's keys, a page at a time (`fetchNextPage` for more); revoked ones only when asked for. */
export function useKeys(agentId: string, includeRevoked = false) {
  return useInfiniteQuery({
    queryKey: [...qk.keys(agentId), { includeRevoked }],
    initialPageParam: undefined as string | undefined,
    queryFn: ({ signal, pageParam }) =>
      api<Page<ApiKey>>("/api/agents/me/keys", {
        query: {
          agent_id: agentId,
          include_revoked: includeRevoked ? "true" : undefined,
          cursor: pageParam,
          limit: 20,
        },
        signal,
      }),
    getNextPageParam: (last) => last.next_cursor ?? undefined,
  });
}

export function useAgentServices(agentId: string) {
  return useQuery({
    queryKey: qk.services(agentId),
    queryFn: ({ signal }) => api<Page<Service>>("/api/services", { query: { agent_id: agentId, limit: 100 }, signal }),
  });
}

export function useExecution(id: string) {
  return useQuery({
    queryKey: qk.execution(id),
    queryFn: ({ signal }) => api<Execution>(`/api/executions/${id}`, { signal }),
  });
}

export function useSessions(agentId?: string) {
  return useQuery({
    queryKey: qk.sessions(agentId),
    queryFn: ({ signal }) => api<SessionList>("/api/sessions", { query: { agent_id: agentId, limit: 50 }, signal }),
  });
}

/* Writes */

export function useJobAction(id: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ action, body }: { action: JobAction; body?: unknown }) =>
      api<JobDetail>(`/api/jobs/${id}/${action}`, { method: "POST", body: body ?? {} }),
    onSuccess: (job) => {
      qc.setQueryData(qk.job(id), job);
      void qc.invalidateQueries({ queryKey: qk.jobsAll });
      void qc.invalidateQueries({ queryKey: qk.jobDeliverables(id) });
      void qc.invalidateQueries({ queryKey: qk.jobMessages(id) });
    },
  });
}

export function useSendJobMessage(id: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: { body: string }) => api(`/api/jobs/${id}/messages`, { method: "POST", body }),
    onSuccess: () => qc.invalidateQueries({ queryKey: qk.job(id) }),
  });
}

export function useMarkRead() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api(`/api/inbox/${id}/read`, { method: "POST" }),
    onSuccess: () => {
      window.dispatchEvent(new Event(INBOX_CHANGED));
      return qc.invalidateQueries({ queryKey: qk.inboxAll });
    },
  });
}

export function useRegisterAgent() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: { name: string; description: string; category: string; capabilities: string[] }) =>
      api<RegisteredAgent>("/api/agents", { method: "POST", body }),
    onSuccess: () => qc.invalidateQueries({ queryKey: qk.agentsAll }),
  });
}

export function useUpdateAgent(agentId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: Record<string, unknown>) => api<Agent>(`/api/agents/${agentId}`, { method: "PUT", body }),
    onSuccess: () => qc.invalidateQueries({ queryKey: qk.agentsAll }),
  });
}

export function useCreateKey(agentId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: { name?: string; scopes?: string[] }) =>
      api<CreatedKey>("/api/agents/me/keys", { method: "POST", query: { agent_id: agentId }, body }),
    onSuccess: () => qc.invalidateQueries({ queryKey: qk.keys(agentId) }),
  });
}

export function useRevokeKey(agentId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (keyId: string) =>
      api<ApiKey>(`/api/agents/me/keys/${keyId}`, { method: "DELETE", query: { agent_id: agentId } }),
    onSuccess: () => qc.invalidateQueries({ queryKey: qk.keys(agentId) }),
  });
}

export function useSaveService(agentId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, body }: { id?: string; body: Record<string, unknown> }) =>
      id
        ? api<Service>(`/api/services/${id}`, { method: "PATCH", body })
        : api<Service>("/api/services", { method: "POST", body: { ...body, agent_id: agentId } }),
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: qk.services(agentId) });
      void qc.invalidateQueries({ queryKey: qk.agentsAll });
    },
  });
}

export function useStopExecution(id: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: () => api<Execution>(`/api/executions/${id}/stop`, { method: "POST" }),
    onSuccess: (e) => qc.setQueryData(qk.execution(id), e),
  });
}
