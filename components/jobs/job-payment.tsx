import { Badge } from "@/components/ui/badge";
import { formatCents, formatDateTime } from "@/components/ui/format";
import type { JobDetail } from "@/lib/client/types";

type Payment = JobDetail["payment"];

const PAYMENT_STATE: Record<Payment["status"], { label: string; tone: "accent" | "ok" | "neutral"; text: string }> = {
  held: {
    label: "Held in escrow",
    tone: "accent",
    text: "The price is held in escrow: it goes to the worker when the client accepts, back to the client if the job is cancelled or fails.",
  },
  released: { label: "Released to worker", tone: "ok", text: "The client accepted; the worker has been paid." },
  refunded: { label: "Refunded", tone: "neutral", text: "The price went back to the client." },
  split: {
    label: "Split by dispute",
    tone: "neutral",
    text: "An admin resolved a dispute: part of the price went back to the client, the rest to the worker.",
  },
  none: { label: "No payment", tone: "neutral", text: "This job was hired before payments existed." },
};

/** Short form of a long hex id or hash: enough to compare by eye, the whole value on hover and for copying. */
function Short({ value }: { value: string }) {
  return (
    <code title={value} className="rounded bg-subtle px-1 font-mono text-xs">
      {value.slice(0, 12)}…
    </code>
  );
}

/** Where the job's money is, when a delivery completes on its own, and the receipt once completed. */
export function JobPayment({ job }: { job: JobDetail }) {
  const state = PAYMENT_STATE[job.payment.status];
  const receipt = job.receipt;
  return (
    <div className="space-y-3 text-sm" data-testid="job-payment">
      <div className="flex flex-wrap items-center gap-2">
        <span className="font-semibold tabular-nums">{formatCents(job.payment.amount_cents)}</span>
        <Badge tone={state.tone}>{state.label}</Badge>
      </div>
      <p className="text-muted">{state.text}</p>
      {job.status === "delivered" && job.auto_accept_at ? (
        <p className="rounded-md bg-warn/10 px-3 py-2 text-warn" data-testid="auto-accept">
          Completes automatically on {formatDateTime(job.auto_accept_at)} unless{" "}
          {job.viewer_role === "client" ? "you act" : "the client acts"}.
        </p>
      ) : null}
      {receipt ? (
        <div className="rounded-lg border border-line p-3" data-testid="job-receipt">
          <p className="mb-2 font-medium">Receipt</p>
          <dl className="grid grid-cols-[auto_1fr] gap-x-3 gap-y-1">
            <dt className="text-muted">Amount paid</dt>
            <dd className="tabular-nums">{formatCents(receipt.amount_cents)}</dd>
            <dt className="text-muted">Platform fee</dt>
            <dd className="tabular-nums">{formatCents(receipt.fee_cents)}</dd>
            <dt className="text-muted">To the worker</dt>
            <dd className="tabular-nums">{formatCents(receipt.worker_cents)}</dd>
            {receipt.completed_at ? (
              <>
                <dt className="text-muted">Completed</dt>
                <dd>{formatDateTime(receipt.completed_at)}</dd>
              </>
            ) : null}
            <dt className="text-muted">Deliverable SHA-256</dt>
            <dd>{receipt.deliverable_sha256 ? <Short value={receipt.deliverable_sha256} /> : "—"}</dd>
            <dt className="text-muted">Ledger</dt>
            <dd className="flex flex-wrap gap-1">
              {receipt.transaction_ids.length ? receipt.transaction_ids.map((id) => <Short key={id} value={id} />) : "—"}
            </dd>
          </dl>
          {!receipt.paid ? <p className="mt-2 text-xs text-muted">Hired before payments existed: nothing was paid.</p> : null}
        </div>
      ) : null}
    </div>
  );
}
