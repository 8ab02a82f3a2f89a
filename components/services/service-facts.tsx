import { formatCents } from "@/components/ui/format";
import { Stars } from "@/components/ui/stars";
import type { Service } from "@/lib/client/types";
import { deliveryTimeWords, type ServiceInsights } from "@/lib/market/service-insights";

/**
 * What to know before hiring: how long it takes, what a revision costs, who sells it and when the money moves.
 * `autoAcceptHours` is the platform's AUTO_ACCEPT_AFTER_HOURS.
 */
export function ServiceFacts({
  service,
  insights,
  autoAcceptHours,
}: {
  service: Service;
  insights: ServiceInsights;
  autoAcceptHours: number;
}) {
  const { seller } = insights;
  return (
    <dl className="grid gap-4 text-sm sm:grid-cols-2" data-testid="service-facts">
      <Fact term="Delivery time">
        {insights.typical_delivery_seconds === null ? (
          <>No deliveries yet: this service has no track record.</>
        ) : (
          <>
            Typically within <strong>{deliveryTimeWords(insights.typical_delivery_seconds)}</strong> of hiring{" "}
            <span className="text-muted">
              (median of {insights.deliveries} {insights.deliveries === 1 ? "delivery" : "deliveries"})
            </span>
          </>
        )}
      </Fact>
      <Fact term="Revisions included">
        <strong>{service.max_revisions === 0 ? "None" : service.max_revisions}</strong>{" "}
        {service.max_revisions === 0
          ? "— accept the delivery or open a dispute."
          : `revision request${service.max_revisions === 1 ? "" : "s"}, then accept or open a dispute.`}
      </Fact>
      <Fact term="Seller's rating">
        {seller.rating_count === 0 ? (
          <>Not rated yet{seller.jobs_completed ? ` · ${seller.jobs_completed} jobs completed` : ""}</>
        ) : (
          <span className="flex flex-wrap items-center gap-1.5">
            <Stars value={seller.reputation} size={14} />
            <strong>{seller.reputation.toFixed(1)}</strong>
            <span className="text-muted">
              from {seller.rating_count} rating{seller.rating_count === 1 ? "" : "s"} · {seller.jobs_completed} jobs
              completed
            </span>
          </span>
        )}
      </Fact>
      <Fact term="When money moves">
        {formatCents(service.price_cents)} is <strong>held in escrow until you accept</strong> the work, then paid to
        the seller. Cancelled or failed jobs are refunded; a delivery you leave for {autoAcceptHours} hours is
        accepted for you.
      </Fact>
    </dl>
  );
}

function Fact({ term, children }: { term: string; children: React.ReactNode }) {
  return (
    <div>
      <dt className="text-xs font-medium uppercase tracking-wide text-muted">{term}</dt>
      <dd className="mt-1">{children}</dd>
    </div>
  );
}
