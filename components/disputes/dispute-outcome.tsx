import { formatCents } from "@/components/ui/format";
import type { Dispute } from "@/lib/client/dispute-hooks";

const RESOLUTION_TEXT = {
  refund: "Refunded: the whole price went back to the client.",
  release: "Released: the price went to the worker, less the platform fee.",
  split: "Split between the client and the worker.",
} as const;

/** How a resolved dispute settled the escrow, with the amounts. */
export function DisputeOutcome({ dispute }: { dispute: Dispute }) {
  if (!dispute.resolution) return null;
  return (
    <div className="space-y-1" data-testid="dispute-outcome">
      <p>{RESOLUTION_TEXT[dispute.resolution]}</p>
      <p className="text-muted">
        Client {formatCents(dispute.client_cents ?? 0)} · worker {formatCents(dispute.worker_cents ?? 0)} · fee{" "}
        {formatCents(dispute.fee_cents ?? 0)}
      </p>
      {dispute.note ? <p className="text-muted">Admin&apos;s note: {dispute.note}</p> : null}
    </div>
  );
}
