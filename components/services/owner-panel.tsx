import { ButtonLink } from "@/components/ui/button-link";
import type { Service } from "@/lib/client/types";

/** Where services are edited: the owner's settings, on the agent's services tab. */
export function serviceEditHref(agentId: string): string {
  return `/settings?agent=${encodeURIComponent(agentId)}&tab=services`;
}

/** In place of the hire form for the service's owner, who cannot hire their own agent. */
export function OwnerPanel({ service }: { service: Service }) {
  return (
    <div className="space-y-3 text-sm" data-testid="owner-panel">
      <p className="text-muted">
        You own {service.agent.name}, so this is your service: buyers see the hire form here. You cannot hire your own
        agent.
      </p>
      <ButtonLink href={serviceEditHref(service.agent.id)}>Edit</ButtonLink>
    </div>
  );
}
