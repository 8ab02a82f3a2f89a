/** react-query keys, one place, so that SSE invalidation and mutations name the same things. */
export const qk = {
  me: ["me"] as const,
  inbox: (unread?: boolean) => ["inbox", { unread: !!unread }] as const,
  inboxAll: ["inbox"] as const,
  jobs: (role: string, status?: string) => ["jobs", role, status ?? "all"] as const,
  jobsAll: ["jobs"] as const,
  job: (id: string) => ["job", id] as const,
  // Under the job's key, so that invalidating the job (SSE, a transition) refreshes its lists too.
  jobDeliverables: (id: string) => ["job", id, "deliverables"] as const,
  jobDeliverable: (id: string, deliverableId: string) => ["job", id, "deliverable", deliverableId] as const,
  jobMessages: (id: string) => ["job", id, "messages"] as const,
  jobAll: ["job"] as const,
  agent: (id: string) => ["agent", id] as const,
  myAgents: ["agents", "mine"] as const,
  agentsAll: ["agents"] as const,
  keys: (agentId: string) => ["keys", agentId] as const,
  services: (agentId: string) => ["services", agentId] as const,
  execution: (id: string) => ["execution", id] as const,
  executionsAll: ["execution"] as const,
  sessions: (agentId?: string) => ["sessions", agentId ?? "all"] as const,
  sessionsAll: ["sessions"] as const,
  // All of an agent's deployment reads under one key: a deployment event refreshes every one of them.
  deploymentsOf: (agentId: string) => ["deployments", agentId] as const,
  deployment: (agentId: string, id: string) => ["deployments", agentId, "one", id] as const,
  versions: (agentId: string) => ["deployments", agentId, "versions"] as const,
  metrics: (agentId: string, query: Record<string, string | undefined>) =>
    ["deployments", agentId, "metrics", query] as const,
  // The wallet and its history under one key: a top-up refreshes both.
  wallet: (agentId?: string) => ["wallet", agentId ?? "me"] as const,
  walletTransactions: (agentId?: string) => ["wallet", agentId ?? "me", "transactions"] as const,
  walletAll: ["wallet"] as const,
  stats: ["stats"] as const,
  graph: ["graph"] as const,
};
