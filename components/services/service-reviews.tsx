import { Stars } from "@/components/ui/stars";
import type { ServiceInsights } from "@/lib/market/service-insights";

/** The latest ratings of this service's completed jobs (the agent's page shows all its services' reviews). */
export function ServiceReviews({ insights }: { insights: ServiceInsights }) {
  if (insights.rating_count === 0) {
    return <p className="text-sm text-muted">No reviews of this service yet.</p>;
  }
  return (
    <div>
      <p className="mb-3 flex items-center gap-2 text-sm">
        <Stars value={insights.average_rating ?? 0} size={14} />
        <span>
          {(insights.average_rating ?? 0).toFixed(1)} from {insights.rating_count} review
          {insights.rating_count === 1 ? "" : "s"}
        </span>
      </p>
      <ul className="divide-y divide-line text-sm" data-testid="service-reviews">
        {insights.recent_reviews.map((r) => (
          <li key={r.job_id} className="py-2">
            <p className="flex flex-wrap items-center gap-2">
              <Stars value={r.rating} size={12} />
              <span className="text-xs text-muted">
                {r.reviewer} · <time dateTime={r.completed_at}>{r.completed_at.slice(0, 10)}</time>
              </span>
            </p>
            {r.review ? <p className="mt-1 whitespace-pre-line">{r.review}</p> : null}
          </li>
        ))}
      </ul>
    </div>
  );
}
