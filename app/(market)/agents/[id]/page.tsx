import { notFound } from "next/navigation";
import { RatingBreakdown } from "@/components/agents/rating-breakdown";
import { LiveRefreshIsland } from "@/components/layout/account-islands";
import { ServiceCard } from "@/components/services/service-card";
import { Badge, StatusBadge } from "@/components/ui/badge";
import { ButtonLink } from "@/components/ui/button-link";
import { Card, SectionTitle } from "@/components/ui/card";
import { formatCents, formatUsd, timeAgo } from "@/components/ui/format";
import { Stars } from "@/components/ui/stars";
import { EmptyState } from "@/components/ui/states";
import { AgentRunPanel } from "@/components/executions/agent-run-panel";
import { AgentRunsTab, AgentTabs } from "@/components/executions/agent-runs-tab";
import { DeployBadge } from "@/components/deployments/status";
import { getDb } from "@/db/client";
import { currentUser, viewer } from "@/lib/client/server";
import { liveDeployment } from "@/lib/deploy/public";
import { findAgentCached } from "@/lib/market/agents";
import { reviewsOf } from "@/lib/market/reviews";
import { agentJson } from "@/lib/market/serialize";
import { browseServices } from "@/lib/market/service-search";
import { isUuid } from "@/lib/api/contract";

export async function generateMetadata({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const agent = isUuid(id) ? await findAgentCached(id) : null;
  return { title: agent?.name ?? "Agent" };
}

export default async function AgentPage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<{ tab?: string; status?: string; cursor?: string }>;
}) {
  const { id } = await params;
  const sp = await searchParams;
  if (!isUuid(id)) notFound();
  // What GET /api/agents/{id}, /api/services?agent_id= and /api/agents/{id}/reviews answer: all public.
  const row = await findAgentCached(id);
  if (!row) notFound();
  const agent = agentJson(row);
  const [services, reviews, user, live] = await Promise.all([
    browseServices({ agent_id: id, limit: 50, sort: "price_asc" }),
    getDb().then((db) => reviewsOf(db, id)),
    currentUser(),
    // The version the agent's calls reach, and whether its instances are well.
    getDb().then((db) => liveDeployment(db, id)),
  ]);
  // Only the owner may start executions of an agent (the run API answers 404 to anyone else).
  const owns = !!user && agent.owner_user_id === user.id;
  const cheapest = services.data[0];
  const principal = owns ? await viewer() : null;
  const runsTab = !!principal && sp.tab === "runs";

  return (
    <div className="space-y-6">
      {/* Events reach signed-in visitors only (the header's stream): nothing to listen for otherwise. */}
      {user ? <LiveRefreshIsland subjects={["agent", "job", "service", "deployment"]} ids={[id]} /> : null}
      <Card className="flex flex-col gap-4 sm:flex-row sm:items-start sm:justify-between">
        <div className="min-w-0">
          <div className="flex flex-wrap items-center gap-2">
            <h1 className="text-2xl font-semibold tracking-tight sm:text-3xl">{agent.name}</h1>
            <StatusBadge status={agent.status} />
          </div>
          <p className="mt-1 text-xs uppercase tracking-wide text-muted">{agent.category}</p>
          {live ? (
            <p className="mt-2 flex flex-wrap items-center gap-2 text-sm" data-testid="live-version">
              <span>
                Live version <span className="font-mono font-medium">{live.live_version}</span>
                <span className="text-muted"> ({live.environment})</span>
              </span>
              <DeployBadge status={live.health_status} />
            </p>
          ) : null}
          <p className="mt-3 max-w-prose whitespace-pre-line text-sm">{agent.description || "No description yet."}</p>
          <div className="mt-3 flex flex-wrap gap-1">
            {agent.runnable ? <Badge tone="accent">Runnable</Badge> : null}
            {agent.invocable ? <Badge tone="accent">Invocable (chat)</Badge> : null}
            {agent.capabilities.map((c) => (
              <Badge key={c}>{c}</Badge>
            ))}
          </div>
        </div>
        <div className="flex shrink-0 flex-wrap gap-2 sm:flex-col">
          {cheapest ? (
            <ButtonLink href={`/services/${cheapest.id}`}>Hire from {formatUsd(cheapest.price_usd)}</ButtonLink>
          ) : null}
          {agent.runnable && !owns ? <p className="max-w-44 text-xs text-muted">Runnable by its owner.</p> : null}
          {agent.invocable ? (
            <ButtonLink href={`/chat/${agent.id}`} variant="secondary">
              Chat
            </ButtonLink>
          ) : null}
          {owns ? (
            <ButtonLink href={`/agents/${agent.id}/deployments`} variant="secondary">
              Deployments
            </ButtonLink>
          ) : null}
        </div>
      </Card>

      {owns ? <AgentTabs agentId={agent.id} runs={runsTab} /> : null}
      {principal && runsTab ? <AgentRunsTab principal={principal} agentId={agent.id} raw={sp} /> : null}
      {runsTab ? null : (
        <>
          <AgentRunPanel
            agentId={agent.id}
            live={live}
            runnable={agent.runnable}
            owns={owns}
            signedIn={!!user}
            pricePerRun={agent.price_per_run}
          />

          <div className="grid gap-6 *:min-w-0 lg:grid-cols-3">
            <Card>
              <SectionTitle>Reputation</SectionTitle>
              <div className="flex items-baseline gap-2">
                <span className="text-4xl font-semibold" data-testid="reputation">
                  {agent.reputation.toFixed(2)}
                </span>
                <Stars value={agent.reputation} size={18} />
              </div>
              <p className="mt-1 text-sm text-muted">
                {agent.rating_count} rating{agent.rating_count === 1 ? "" : "s"} · {agent.jobs_completed} jobs completed
              </p>
              <RatingBreakdown breakdown={reviews.breakdown} />
            </Card>
            <div className="lg:col-span-2">
              <SectionTitle>Services</SectionTitle>
              {services.data.length === 0 ? (
                <EmptyState title="No services yet">This agent does not sell anything at the moment.</EmptyState>
              ) : (
                <ul className="grid gap-3 sm:grid-cols-2">
                  {services.data.map((s) => (
                    <ServiceCard key={s.id} service={s} showAgent={false} />
                  ))}
                </ul>
              )}
            </div>
          </div>

          <section>
            <SectionTitle>Recent reviews</SectionTitle>
            {reviews.recent.length === 0 ? (
              <EmptyState title="No reviews yet">Reviews appear when a client completes a job.</EmptyState>
            ) : (
              <ul className="space-y-3">
                {reviews.recent.map((r) => (
                  <li key={r.job_id} className="rounded-xl border border-line bg-card p-4">
                    <div className="flex items-center justify-between gap-2">
                      <Stars value={r.rating} size={14} label={`${r.rating} out of 5`} />
                      <span className="text-xs text-muted">
                        {r.reviewer} · {timeAgo(r.completed_at)}
                      </span>
                    </div>
                    {r.review ? <p className="mt-2 text-sm">{r.review}</p> : null}
                    {r.verified_purchase ? (
                      <p className="mt-2" data-testid="verified-purchase">
                        <Badge tone="ok">
                          Verified purchase{r.paid_cents !== null ? ` · ${formatCents(r.paid_cents)}` : ""}
                        </Badge>
                      </p>
                    ) : null}
                  </li>
                ))}
              </ul>
            )}
          </section>
        </>
      )}
    </div>
  );
}
