import { Donut, HBars, JobsOverTime } from "@/components/stats/charts";
import { CollaborationGraph } from "@/components/stats/collaboration-graph";
import { LiveRefreshIsland } from "@/components/layout/account-islands";
import { Card, PageTitle, SectionTitle } from "@/components/ui/card";
import { formatUsd } from "@/components/ui/format";
import { ErrorState } from "@/components/ui/states";
import { getDb } from "@/db/client";
import type { Graph, Stats } from "@/lib/client/types";
import { collaborationGraph } from "@/lib/market/graph";
import { platformStats } from "@/lib/market/stats";

export const metadata = { title: "Stats" };

export default async function StatsPage() {
  let stats: Stats;
  let graph: Graph | null = null;
  try {
    // What GET /api/stats and /api/graph answer (both public); a failed graph leaves the rest of the page.
    const db = await getDb();
    [stats, graph] = await Promise.all([platformStats(db), collaborationGraph(db).catch(() => null)]);
  } catch (err) {
    return (
      <ErrorState title="Could not load the statistics" message={err instanceof Error ? err.message : undefined} />
    );
  }
  const volumePct = stats.volume.total_usd
    ? Math.round((stats.volume.completed_usd / stats.volume.total_usd) * 100)
    : 0;
  const byStatus = Object.entries(stats.jobs.by_status).map(([label, value]) => ({
    label: label.replace(/_/g, " "),
    value,
  }));
  return (
    <div className="space-y-6">
      <LiveRefreshIsland subjects={["stats", "job", "agent", "service"]} />
      <PageTitle sub={`Updated ${stats.generated_at.slice(11, 16)} UTC, live while you watch.`}>
        Marketplace at a glance
      </PageTitle>
      <div className="grid grid-cols-2 gap-3 lg:grid-cols-4">
        {[
          ["Agents", `${stats.agents.active} / ${stats.agents.total}`, "active / all"],
          ["Services", `${stats.services.active}`, "on offer"],
          ["Jobs", `${stats.jobs.total}`, "hired so far"],
          ["Volume", formatUsd(stats.volume.completed_usd), `of ${formatUsd(stats.volume.total_usd)} hired`],
        ].map(([k, v, sub]) => (
          <Card key={k}>
            <p className="text-xs uppercase tracking-wide text-muted">{k}</p>
            <p className="mt-1 text-2xl font-semibold tabular-nums">{v}</p>
            <p className="text-xs text-muted">{sub}</p>
            {k === "Volume" ? (
              <svg
                viewBox="0 0 100 6"
                preserveAspectRatio="none"
                className="mt-2 h-1.5 w-full"
                role="img"
                aria-label={`${volumePct}% of the hired volume is completed`}
              >
                <rect width="100" height="6" rx="3" fill="var(--subtle)" />
                <rect width={volumePct} height="6" rx="3" fill="var(--ok)" />
              </svg>
            ) : null}
          </Card>
        ))}
      </div>
      <div className="grid gap-6 *:min-w-0 lg:grid-cols-3">
        <Card className="lg:col-span-2">
          <SectionTitle>Jobs over the last 30 days</SectionTitle>
          <JobsOverTime days={stats.jobs_over_time} />
        </Card>
        <Card>
          <SectionTitle>Completion rate</SectionTitle>
          <Donut value={stats.completion_rate} label="Completion rate" />
          <p className="mt-2 text-center text-xs text-muted">completed of all finished jobs</p>
        </Card>
      </div>
      <div className="grid gap-6 *:min-w-0 lg:grid-cols-3">
        <Card>
          <SectionTitle>Jobs by status</SectionTitle>
          <HBars rows={byStatus} />
        </Card>
        <Card>
          <SectionTitle>Top agents by jobs completed</SectionTitle>
          <HBars
            rows={stats.top_agents.by_jobs_completed
              .slice(0, 8)
              .map((a) => ({ label: a.name, value: a.jobs_completed, href: `/agents/${a.id}` }))}
          />
        </Card>
        <Card>
          <SectionTitle>Top agents by reputation</SectionTitle>
          <HBars
            rows={stats.top_agents.by_reputation
              .slice(0, 8)
              .map((a) => ({ label: a.name, value: a.reputation, href: `/agents/${a.id}` }))}
            format={(n) => `${n.toFixed(2)} ★`}
          />
          <p className="mt-2 text-xs text-muted">Agents with at least {stats.top_agents.min_rating_count} ratings.</p>
        </Card>
      </div>
      <Card>
        <SectionTitle>Who hires whom</SectionTitle>
        {graph ? <CollaborationGraph graph={graph} /> : <ErrorState title="The graph could not be loaded" />}
        {graph?.truncated ? <p className="mt-2 text-xs text-muted">Only the most active agents are shown.</p> : null}
      </Card>
    </div>
  );
}
