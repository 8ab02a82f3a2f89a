"use client";

import { useState } from "react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { FormError } from "@/components/ui/field";
import { ConfirmButton } from "@/components/ui/form-confirm";
import { formatDateTime } from "@/components/ui/format";
import { ErrorState, Skeleton } from "@/components/ui/states";
import { useKeys, useRevokeKey } from "@/lib/client/hooks";
import { SecretOnce } from "./copy-button";
import { KeyCreateForm } from "./key-create-form";

export function AgentKeys({ agentId }: { agentId: string }) {
  const [showRevoked, setShowRevoked] = useState(false);
  const keys = useKeys(agentId, showRevoked);
  const list = keys.data?.pages.flatMap((p) => p.data) ?? [];
  const total = keys.data?.pages[0]?.total;
  const revoke = useRevokeKey(agentId);
  const [secret, setSecret] = useState<string | null>(null);
  return (
    <div className="space-y-4">
      {secret ? (
        <SecretOnce secret={secret} onDone={() => setSecret(null)} />
      ) : (
        <KeyCreateForm agentId={agentId} onCreated={setSecret} />
      )}
      <FormError message={revoke.error?.message} />
      <label className="flex items-center gap-2 text-sm text-muted">
        <input type="checkbox" checked={showRevoked} onChange={(e) => setShowRevoked(e.target.checked)} />
        Show revoked keys
      </label>
      {keys.isPending ? (
        <Skeleton className="h-24" />
      ) : keys.isError ? (
        <ErrorState message={keys.error.message} />
      ) : (
        <ul className="divide-y divide-line rounded-lg border border-line" data-testid="keys">
          {list.map((k) => (
            <li key={k.id} className="flex flex-wrap items-center gap-3 px-3 py-2 text-sm">
              <div className="min-w-0 flex-1">
                <p className="font-medium">
                  {k.name} <span className="font-mono text-xs text-muted">…{k.suffix}</span>
                </p>
                <p className="text-xs text-muted">
                  created {formatDateTime(k.created_at)}
                  {k.last_used_at ? ` · last used ${formatDateTime(k.last_used_at)}` : " · never used"}
                  {` · ${k.scopes.length} ${k.scopes.length === 1 ? "scope" : "scopes"}`}
                </p>
              </div>
              {k.revoked_at ? (
                <Badge tone="bad">revoked</Badge>
              ) : (
                <ConfirmButton
                  className="text-xs"
                  disabled={revoke.isPending}
                  title={`Revoke the key “${k.name}”?`}
                  body={
                    <>
                      Anything still using the key ending in <span className="font-mono">…{k.suffix}</span> stops
                      working at once. This cannot be undone.
                    </>
                  }
                  confirmLabel="Revoke key"
                  onConfirm={() => revoke.mutate(k.id)}
                >
                  Revoke
                </ConfirmButton>
              )}
            </li>
          ))}
        </ul>
      )}
      {keys.hasNextPage ? (
        <div className="flex items-center gap-3 text-sm text-muted">
          <Button variant="secondary" disabled={keys.isFetchingNextPage} onClick={() => keys.fetchNextPage()}>
            {keys.isFetchingNextPage ? "Loading…" : "Show more keys"}
          </Button>
          {total !== undefined ? (
            <span>
              {list.length} of {total}
            </span>
          ) : null}
        </div>
      ) : null}
    </div>
  );
}
