"use client";

import { useState } from "react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/field";
import { formatDateTime } from "@/components/ui/format";
import { ErrorState, Skeleton } from "@/components/ui/states";
import { useCreateKey, useKeys, useRevokeKey } from "@/lib/client/hooks";
import { SecretOnce } from "./copy-button";

export function AgentKeys({ agentId }: { agentId: string }) {
  const [showRevoked, setShowRevoked] = useState(false);
  const keys = useKeys(agentId, showRevoked);
  const list = keys.data?.pages.flatMap((p) => p.data) ?? [];
  const total = keys.data?.pages[0]?.total;
  const create = useCreateKey(agentId);
  const revoke = useRevokeKey(agentId);
  const [secret, setSecret] = useState<string | null>(null);
  const [name, setName] = useState("");
  return (
    <div className="space-y-4">
      {secret ? <SecretOnce secret={secret} onDone={() => setSecret(null)} /> : null}
      <form
        className="flex flex-wrap gap-2"
        onSubmit={(e) => {
          e.preventDefault();
          create.mutate(name.trim() || "key", { onSuccess: (k) => (setSecret(k.api_key), setName("")) });
        }}
      >
        <label htmlFor="key-name" className="sr-only">
          Key name
        </label>
        <Input
          id="key-name"
          value={name}
          onChange={(e) => setName(e.target.value)}
          placeholder="Key name, e.g. ci"
          className="max-w-60"
        />
        <Button type="submit" disabled={create.isPending}>
          Create key
        </Button>
      </form>
      {create.isError ? <p className="text-sm text-bad">{create.error.message}</p> : null}
      {revoke.isError ? (
        <p role="alert" className="text-sm text-bad">
          {revoke.error.message}
        </p>
      ) : null}
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
                </p>
              </div>
              {k.revoked_at ? (
                <Badge tone="bad">revoked</Badge>
              ) : (
                <Button
                  variant="danger"
                  className="text-xs"
                  disabled={revoke.isPending}
                  onClick={() => revoke.mutate(k.id)}
                >
                  Revoke
                </Button>
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
