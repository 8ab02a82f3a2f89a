import { LineChart } from "@/components/deployments/line-chart";
import { formatCents, formatDateTime } from "@/components/ui/format";
import type { WalletTransaction } from "@/lib/client/types";
import Link from "next/link";
import { axisCents } from "./amount";

const KIND_LABELS: Record<WalletTransaction["kind"], string> = {
  top_up: "Top-up",
  faucet: "Development faucet",
  hire: "Hire (into escrow)",
  refund: "Refund",
  release: "Payment received",
  split: "Dispute settlement (split)",
  charge: "Paid run or call",
};

/** The available balance after each entry, oldest first, as the deployments' SVG line chart draws it. */
export function BalanceChart({ entries }: { entries: WalletTransaction[] }) {
  const points = entries
    .map((e) => ({ t: new Date(e.created_at).getTime(), v: e.balance_after }))
    .sort((a, b) => a.t - b.t);
  const start = points[0]?.t ?? 0;
  const end = points.at(-1)?.t ?? 0;
  return (
    <LineChart
      title="Available balance over time"
      series={[{ name: "available balance", color: "var(--accent)", points }]}
      start={start}
      end={end}
      format={axisCents}
      empty="No movements yet."
    />
  );
}

/** Newest first, each with the available balance right after it. */
export function TransactionTable({ entries }: { entries: WalletTransaction[] }) {
  return (
    <div className="overflow-x-auto">
      <table className="w-full text-sm" data-testid="wallet-transactions">
        <thead>
          <tr className="border-b border-line text-left text-xs text-muted">
            <th className="py-2 pr-3 font-medium">When</th>
            <th className="py-2 pr-3 font-medium">What</th>
            <th className="py-2 pr-3 text-right font-medium">Amount</th>
            <th className="py-2 text-right font-medium">Balance after</th>
          </tr>
        </thead>
        <tbody>
          {entries.map((e) => (
            <tr key={e.id} className="border-b border-line/60 last:border-0">
              <td className="whitespace-nowrap py-2 pr-3 text-muted">{formatDateTime(e.created_at)}</td>
              <td className="py-2 pr-3">
                <span className="font-medium">{KIND_LABELS[e.kind]}</span>
                {e.memo ? <span className="text-muted"> · {e.memo}</span> : null}
                {e.job_id ? (
                  <>
                    {" · "}
                    <Link href={`/jobs/${e.job_id}`} className="text-accent hover:underline">
                      job
                    </Link>
                  </>
                ) : null}
              </td>
              <td className={`whitespace-nowrap py-2 pr-3 text-right tabular-nums ${e.amount < 0 ? "" : "text-ok"}`}>
                {e.amount > 0 ? "+" : ""}
                {formatCents(e.amount)}
              </td>
              <td className="whitespace-nowrap py-2 text-right tabular-nums">{formatCents(e.balance_after)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
