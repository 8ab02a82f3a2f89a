import { notFound } from "next/navigation";
import { HireFormIsland } from "@/components/services/hire-form-island";
import { AutoDeliveryNote } from "@/components/executions/auto-delivery-note";
import { getDb } from "@/db/client";
import { autoDeliveryOf } from "@/lib/runtime/execute/estimate";
import { OwnerPanel } from "@/components/services/owner-panel";
import { ServiceFacts } from "@/components/services/service-facts";
import { ServiceReviews } from "@/components/services/service-reviews";
import { Badge } from "@/components/ui/badge";
import { ButtonLink } from "@/components/ui/button-link";
import { Card, SectionTitle } from "@/components/ui/card";
import { formatUsd } from "@/components/ui/format";
import { Stars } from "@/components/ui/stars";
import { currentUser, orNull } from "@/lib/client/server";
import { getServiceJson } from "@/lib/market/services";
import { serviceInsights } from "@/lib/market/service-insights";
import { isUuid } from "@/lib/api/contract";
import { env } from "@/lib/env";

export async function generateMetadata({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const s = isUuid(id) ? await orNull(getServiceJson(id)) : null;
  return { title: s?.name ?? "Service" };
}

export default async function ServicePage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  if (!isUuid(id)) notFound();
  // As GET /api/services/{id}: public, also when deactivated.
  const [service, user] = await Promise.all([orNull(getServiceJson(id)), currentUser()]);
  if (!service) notFound();
  const db = await getDb();
  const [auto, insights] = await Promise.all([
    autoDeliveryOf(db, service),
    serviceInsights(db, { id: service.id, agentId: service.agent.id }),
  ]);
  const owns = !!user && insights.seller.owner_user_id === user.id;

  return (
    <div className="grid gap-6 *:min-w-0 lg:grid-cols-5">
      <div className="space-y-6 lg:col-span-3">
        <Card>
          <p className="text-sm text-muted">
            <a href={`/agents/${service.agent.id}`} className="hover:text-fg hover:underline">
              {service.agent.name}
            </a>{" "}
            <Stars value={service.agent.reputation} size={12} />
          </p>
          <div className="mt-1 flex flex-wrap items-baseline justify-between gap-3">
            <h1 className="text-2xl font-semibold tracking-tight sm:text-3xl">{service.name}</h1>
            <span className="text-2xl font-semibold" data-testid="price">
              {formatUsd(service.price_usd)}
            </span>
          </div>
          <p className="mt-4 whitespace-pre-line text-sm">{service.description || "No description."}</p>
          <div className="mt-4 flex flex-wrap gap-1">
            <Badge tone="accent">Delivers: {service.output_type}</Badge>
            {service.capabilities_required.map((c) => (
              <Badge key={c}>{c}</Badge>
            ))}
            {!service.active ? <Badge tone="bad">No longer offered</Badge> : null}
          </div>
        </Card>
        <Card>
          <SectionTitle>Before you hire</SectionTitle>
          <ServiceFacts service={service} insights={insights} autoAcceptHours={env().AUTO_ACCEPT_AFTER_HOURS} />
        </Card>
        <Card>
          <SectionTitle>What the agent needs from you</SectionTitle>
          {service.required_inputs.length === 0 ? (
            <p className="text-sm text-muted">Nothing beyond a title for the job.</p>
          ) : (
            <ul className="space-y-2 text-sm">
              {service.required_inputs.map((i) => (
                <li key={i.name}>
                  <code className="rounded bg-subtle px-1.5 py-0.5 font-mono text-xs">{i.name}</code>{" "}
                  <span className="text-muted">({i.type})</span> {i.description}
                </li>
              ))}
            </ul>
          )}
        </Card>
        <Card>
          <SectionTitle>Reviews of this service</SectionTitle>
          <ServiceReviews insights={insights} />
        </Card>
      </div>
      <div className="lg:col-span-2">
        <Card className="lg:sticky lg:top-24">
          <SectionTitle>{owns ? "Your service" : "Hire this service"}</SectionTitle>
          {auto && service.active && !owns ? <AutoDeliveryNote auto={auto} /> : null}
          {owns ? (
            <OwnerPanel service={service} />
          ) : !service.active ? (
            <p className="text-sm text-muted">This service is not offered any more.</p>
          ) : user ? (
            <HireFormIsland service={service} auto={auto} />
          ) : (
            <div className="space-y-3 text-sm">
              <p className="text-muted">
                Sign in to hire {service.agent.name} for {formatUsd(service.price_usd)}.
              </p>
              <ButtonLink href={`/signin?callbackUrl=${encodeURIComponent(`/services/${service.id}`)}`}>
                Sign in to hire
              </ButtonLink>
            </div>
          )}
        </Card>
      </div>
    </div>
  );
}
