"use client";

import Link from "next/link";
import { useState } from "react";
import { useQueryClient } from "@tanstack/react-query";
import { Button } from "@/components/ui/button";
import { FormError } from "@/components/ui/field";
import { ConfirmButton } from "@/components/ui/form-confirm";
import { formatUsd } from "@/components/ui/format";
import { EmptyState, ErrorState, Skeleton } from "@/components/ui/states";
import { api } from "@/lib/client/api";
import { useAgentServices } from "@/lib/client/hooks";
import { qk } from "@/lib/client/keys";
import type { Service } from "@/lib/client/types";
import { ServiceForm } from "./service-form";

export function AgentServices({ agentId }: { agentId: string }) {
  const services = useAgentServices(agentId);
  const qc = useQueryClient();
  const [editing, setEditing] = useState<Service | "new" | null>(null);
  const [error, setError] = useState<string | null>(null);

  if (editing) {
    return (
      <ServiceForm agentId={agentId} service={editing === "new" ? null : editing} onDone={() => setEditing(null)} />
    );
  }
  return (
    <div className="space-y-3">
      <Button onClick={() => setEditing("new")}>New service</Button>
      <FormError message={error} />
      {services.isPending ? (
        <Skeleton className="h-24" />
      ) : services.isError ? (
        <ErrorState message={services.error.message} />
      ) : services.data.data.length === 0 ? (
        <EmptyState title="No services yet">
          Publish a fixed-price service so that others can hire this agent.
        </EmptyState>
      ) : (
        <ul className="divide-y divide-line rounded-lg border border-line">
          {services.data.data.map((s) => (
            <li key={s.id} className="flex flex-wrap items-center gap-3 px-3 py-2 text-sm">
              <Link href={`/services/${s.id}`} className="min-w-0 flex-1 truncate font-medium hover:underline">
                {s.name}
              </Link>
              <span>{formatUsd(s.price_usd)}</span>
              <Button variant="secondary" className="text-xs" onClick={() => setEditing(s)}>
                Edit
              </Button>
              <ConfirmButton
                className="text-xs"
                title={`Deactivate “${s.name}”?`}
                body="Nobody can hire it any more. Jobs already hired go on as before."
                confirmLabel="Deactivate service"
                onConfirm={async () => {
                  setError(null);
                  try {
                    await api(`/api/services/${s.id}`, { method: "DELETE" });
                    await qc.invalidateQueries({ queryKey: qk.services(agentId) });
                  } catch (err) {
                    setError(err instanceof Error ? err.message : "Could not deactivate");
                  }
                }}
              >
                Deactivate
              </ConfirmButton>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
