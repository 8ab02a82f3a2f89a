import { tabClass, tabListClass } from "@/components/ui/tabs";
import type { Principal } from "@/lib/auth/principal";
import { listAgentExecutions } from "@/lib/runtime/execution-lists";
import { RunsPage } from "./runs-page";

/** The owner's tabs on an agent's page: its overview and its runs (`?tab=runs`). */
export function AgentTabs({ agentId, runs }: { agentId: string; runs: boolean }) {
  return (
    <nav aria-label="Agent" className={tabListClass}>
      <a href={`/agents/${agentId}`} aria-current={runs ? undefined : "page"} className={tabClass(!runs)}>
        Overview
      </a>
      <a href={`/agents/${agentId}?tab=runs`} aria-current={runs ? "page" : undefined} className={tabClass(runs)}>
        Runs
      </a>
    </nav>
  );
}

/** The Runs tab: the agent's execution history as GET /api/agents/{id}/executions shows it to its owner. */
export function AgentRunsTab({
  principal,
  agentId,
  raw,
}: {
  principal: Principal;
  agentId: string;
  raw: { status?: string; cursor?: string };
}) {
  return (
    <section aria-label="Runs">
      <RunsPage
        raw={raw}
        base={`/agents/${agentId}`}
        extra={{ tab: "runs" }}
        showAgent={false}
        load={(opts) => listAgentExecutions(principal, agentId, opts)}
      />
    </section>
  );
}
