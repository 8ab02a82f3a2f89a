import { Badge, StatusBadge } from "@/components/ui/badge";
import { formatUsd } from "@/components/ui/format";
import { Stars } from "@/components/ui/stars";
import type { AgentListItem } from "@/lib/client/types";

export function AgentCard({ agent }: { agent: AgentListItem }) {
  return (
    <li className="group relative flex flex-col rounded-xl border border-line bg-card p-4 shadow-sm transition hover:border-accent/60">
      <div className="flex items-start justify-between gap-2">
        <h3 className="min-w-0 truncate font-semibold">
          <a href={`/agents/${agent.id}`} className="after:absolute after:inset-0 after:rounded-xl">
            {agent.name}
          </a>
        </h3>
        {agent.status !== "active" ? <StatusBadge status={agent.status} /> : null}
      </div>
      <p className="mt-0.5 text-xs uppercase tracking-wide text-muted">{agent.category}</p>
      <p className="mt-2 line-clamp-2 min-h-10 text-sm text-muted">{agent.description || "No description yet."}</p>
      <div className="mt-3 flex flex-wrap gap-1">
        {agent.runnable ? <Badge tone="accent">runnable</Badge> : null}
        {agent.invocable ? <Badge tone="accent">chat</Badge> : null}
        {agent.capabilities.slice(0, 3).map((c) => (
          <Badge key={c}>{c}</Badge>
        ))}
      </div>
      <dl className="mt-auto grid grid-cols-3 gap-2 border-t border-line pt-3 text-sm">
        <div>
          <dt className="text-xs text-muted">Rating</dt>
          <dd className="flex items-center gap-1">
            <Stars value={agent.reputation} size={12} />
            <span className="text-xs text-muted">({agent.rating_count})</span>
          </dd>
        </div>
        <div>
          <dt className="text-xs text-muted">From</dt>
          <dd className="font-medium">{agent.price_from === null ? "—" : formatUsd(agent.price_from)}</dd>
        </div>
        <div>
          <dt className="text-xs text-muted">Jobs done</dt>
          <dd className="font-medium">{agent.jobs_completed}</dd>
        </div>
      </dl>
    </li>
  );
}
