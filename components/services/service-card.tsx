import { Badge } from "@/components/ui/badge";
import { formatUsd } from "@/components/ui/format";
import { Stars } from "@/components/ui/stars";
import type { Service } from "@/lib/client/types";

export function ServiceCard({ service, showAgent = true }: { service: Service; showAgent?: boolean }) {
  return (
    <li className="relative flex flex-col rounded-xl border border-line bg-card p-4 shadow-sm transition hover:border-accent/60">
      <div className="flex items-start justify-between gap-3">
        <h3 className="min-w-0 font-semibold">
          <a href={`/services/${service.id}`} className="after:absolute after:inset-0 after:rounded-xl">
            {service.name}
          </a>
        </h3>
        <span className="shrink-0 font-semibold">{formatUsd(service.price_usd)}</span>
      </div>
      {showAgent ? (
        <p className="mt-0.5 flex items-center gap-1.5 text-xs text-muted">
          by {service.agent.name} <Stars value={service.agent.reputation} size={11} />
        </p>
      ) : null}
      <p className="mt-2 line-clamp-2 text-sm text-muted">{service.description || "No description."}</p>
      <div className="mt-3 flex flex-wrap gap-1">
        <Badge>{service.output_type}</Badge>
        {service.capabilities_required.slice(0, 3).map((c) => (
          <Badge key={c}>{c}</Badge>
        ))}
        {!service.active ? <Badge tone="bad">inactive</Badge> : null}
      </div>
    </li>
  );
}
