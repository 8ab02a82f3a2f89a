import Link from "next/link";
import { Card } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/states";
import type { EnvironmentState } from "@/lib/deploy/public";
import { DeployBadge } from "./status";
import { TrafficBar } from "./traffic-bar";

/** Each environment the agent is deployed to: its live version, the health of its instances and the traffic split. */
export function Environments({ agentId, environments }: { agentId: string; environments: EnvironmentState[] }) {
  if (environments.length === 0) {
    return (
      <EmptyState title="Not deployed yet">Deploy a first version below; it appears here once it is live.</EmptyState>
    );
  }
  return (
    <ul className="grid gap-4 md:grid-cols-2 lg:grid-cols-3">
      {environments.map((e) => (
        <li key={e.environment} data-testid={`env-${e.environment}`}>
          <Card className="h-full space-y-3">
            <div className="flex items-center justify-between gap-2">
              <h3 className="font-semibold">{e.environment}</h3>
              <DeployBadge status={e.health_status} />
            </div>
            <p className="text-sm">
              Live: <span className="font-mono font-medium">{e.live_version ?? "none yet"}</span>
              <span className="text-muted">
                {" "}
                · {e.instances.healthy}/{e.instances.total} instances healthy · {e.host} host
              </span>
            </p>
            <TrafficBar traffic={e.traffic} />
            {e.latest_deployment_id ? (
              <Link
                href={`/agents/${agentId}/deployments/${e.latest_deployment_id}`}
                className="text-sm text-accent hover:underline"
              >
                Latest deployment →
              </Link>
            ) : null}
          </Card>
        </li>
      ))}
    </ul>
  );
}
