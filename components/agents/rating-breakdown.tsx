import type { AgentReviews } from "@/lib/client/types";

export function RatingBreakdown({ breakdown }: { breakdown: AgentReviews["breakdown"] }) {
  const total = Object.values(breakdown).reduce((a, b) => a + b, 0);
  return (
    <dl className="mt-4 space-y-1.5" aria-label="Rating breakdown">
      {([5, 4, 3, 2, 1] as const).map((star) => {
        const n = breakdown[star];
        const pct = total ? Math.round((n / total) * 100) : 0;
        return (
          <div key={star} className="flex items-center gap-2 text-xs">
            <dt className="w-8 shrink-0 text-muted">{star} ★</dt>
            <dd className="flex flex-1 items-center gap-2">
              <span className="h-2 flex-1 overflow-hidden rounded-full bg-subtle">
                <span className="block h-full rounded-full bg-amber-500" style={{ width: `${pct}%` }} />
              </span>
              <span className="w-6 text-right tabular-nums text-muted">{n}</span>
            </dd>
          </div>
        );
      })}
    </dl>
  );
}
