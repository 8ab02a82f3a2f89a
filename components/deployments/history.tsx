import Link from "next/link";
import { timeAgo } from "@/components/ui/format";
import { EmptyState } from "@/components/ui/states";
import { Table } from "@/components/ui/table";
import type { DeploymentSummary, Version } from "@/lib/client/types";
import { DeployBadge } from "./status";

/** The agent's deployments, newest first, each linking to its live view. */
export function DeploymentList({ agentId, deployments }: { agentId: string; deployments: DeploymentSummary[] }) {
  if (deployments.length === 0) return <EmptyState title="No deployments yet" />;
  return (
    <ul className="divide-y divide-line rounded-xl border border-line bg-card" aria-label="Deployments">
      {deployments.map((d) => (
        <li key={d.deployment_id}>
          <Link
            href={`/agents/${agentId}/deployments/${d.deployment_id}`}
            className="flex flex-wrap items-center justify-between gap-2 px-4 py-3 hover:bg-subtle"
          >
            <span className="flex flex-wrap items-center gap-2 text-sm">
              <span className="font-mono font-medium">{d.version}</span>
              <span className="text-muted">
                {d.environment} · {d.strategy.replace("_", "/")}
                {d.previous_version ? ` · from ${d.previous_version}` : ""}
              </span>
            </span>
            <span className="flex items-center gap-2 text-xs text-muted">
              {d.status === "deploying" ? `${d.progress}%` : null}
              <DeployBadge status={d.status} />
              {timeAgo(d.created_at)}
            </span>
          </Link>
          {d.reason ? <p className="px-4 pb-3 text-xs text-muted">{d.reason}</p> : null}
        </li>
      ))}
    </ul>
  );
}

const size = (n: number) =>
  n < 1024 ? `${n} B` : n < 1048576 ? `${(n / 1024).toFixed(1)} KB` : `${(n / 1048576).toFixed(1)} MB`;

/** The agent's immutable versions, newest first. */
export function VersionList({ versions }: { versions: Version[] }) {
  if (versions.length === 0) return <EmptyState title="No versions yet" />;
  return (
    <Table caption="Versions" columns={["Version", "Code", "Resources", "Created"]}>
      {versions.map((v) => (
        <tr key={v.version_id}>
          <td className="px-3 py-2">
            <span className="font-mono font-medium">{v.version}</span>
            {v.description ? <p className="text-xs text-muted">{v.description}</p> : null}
          </td>
          <td className="px-3 py-2 text-xs">
            {v.artifact
              ? `installed: ${v.artifact}`
              : v.bundle
                ? `${v.bundle.format}, ${size(v.bundle.size_bytes)}`
                : (v.container_image ?? "")}
            <span className="block font-mono text-muted">
              {v.entrypoint} · {v.runtime} · {v.code_digest.slice(0, 12)}
            </span>
          </td>
          <td className="px-3 py-2 text-xs text-muted">
            {v.configuration.memory_limit} MB · {v.configuration.timeout} s · {v.configuration.concurrent_executions} at
            once
          </td>
          <td className="px-3 py-2 text-xs text-muted">{timeAgo(v.created_at)}</td>
        </tr>
      ))}
    </Table>
  );
}
