"use client";

import Link from "next/link";
import { Card } from "@/components/ui/card";
import { formatCents, formatDateTime } from "@/components/ui/format";
import { EmptyState, ErrorState } from "@/components/ui/states";
import { useOpenDisputes, type Dispute } from "@/lib/client/dispute-hooks";
import type { Page } from "@/lib/client/types";
import { ResolveDispute } from "./resolve-dispute";

/** The admin's list of open disputes, oldest first, each with its resolve actions. */
export function DisputesAdmin({ initial }: { initial: Page<Dispute> }) {
  const { data, error } = useOpenDisputes(initial);
  if (!data) return <ErrorState message={error?.message} />;
  if (data.data.length === 0) return <EmptyState title="No open disputes">Nothing waits for a decision.</EmptyState>;
  return (
    <ul className="space-y-4" aria-label="Open disputes">
      {data.data.map((d) => (
        <li key={d.id}>
          <Card data-testid="dispute-card">
            <div className="flex flex-wrap items-start justify-between gap-3">
              <div className="min-w-0">
                <h2 className="text-base font-semibold">
                  <Link href={`/jobs/${d.job_id}`} className="hover:underline">
                    {d.job_title}
                  </Link>
                </h2>
                <p className="text-sm text-muted">
                  Client {d.client.name} · worker {d.worker.name} · opened by the {d.opened_by}{" "}
                  {formatDateTime(d.created_at)}
                </p>
              </div>
              <span className="text-lg font-semibold">{formatCents(d.price_cents)}</span>
            </div>
            <p className="mt-3 whitespace-pre-wrap break-words rounded bg-subtle p-2 text-sm">{d.reason}</p>
            <ResolveDispute dispute={d} />
          </Card>
        </li>
      ))}
    </ul>
  );
}
