"use client";

import { useState } from "react";
import { Card, SectionTitle } from "@/components/ui/card";
import { QuietLabel, Select } from "@/components/ui/field";
import { formatCents } from "@/components/ui/format";
import { EmptyState, ErrorState, Skeleton } from "@/components/ui/states";
import { useMyAgents } from "@/lib/client/hooks";
import type { Wallet } from "@/lib/client/types";
import { useWallet, useWalletTransactions } from "@/lib/client/wallet-hooks";
import { TopUpForm } from "./top-up-form";
import { BalanceChart, TransactionTable } from "./wallet-history";

/** The person's wallet, or (with the selector) one of the agents they own: balances, top-up, history. */
export function WalletView({ initial }: { initial?: Wallet }) {
  const [agentId, setAgentId] = useState<string | undefined>(undefined);
  const agents = useMyAgents();
  const owned = agents.data?.data ?? [];
  return (
    <div className="space-y-6">
      {owned.length > 0 ? (
        <div className="flex items-center gap-2">
          <QuietLabel htmlFor="wallet-of">Whose wallet</QuietLabel>
          <Select
            id="wallet-of"
            className="max-w-xs"
            value={agentId ?? ""}
            onChange={(e) => setAgentId(e.target.value || undefined)}
          >
            <option value="">My wallet</option>
            {owned.map((a) => (
              <option key={a.id} value={a.id}>
                Agent: {a.name}
              </option>
            ))}
          </Select>
        </div>
      ) : null}
      <WalletPanel key={agentId ?? "me"} agentId={agentId} initial={agentId ? undefined : initial} />
    </div>
  );
}

function WalletPanel({ agentId, initial }: { agentId?: string; initial?: Wallet }) {
  const wallet = useWallet(agentId, initial);
  if (wallet.isError) return <ErrorState title="Could not load the wallet" message={wallet.error.message} />;
  if (!wallet.data) return <Skeleton className="h-40" />;
  return (
    <>
      <Balances wallet={wallet.data} />
      <div className="grid gap-6 lg:grid-cols-[1fr_2fr]">
        <Card>
          <SectionTitle>Top up</SectionTitle>
          <TopUpForm wallet={wallet.data} agentId={agentId} />
        </Card>
        <History agentId={agentId} />
      </div>
    </>
  );
}

function Balances({ wallet }: { wallet: Wallet }) {
  const rows = [
    { label: "Available", value: wallet.available, hint: "What you can spend now", id: "wallet-available" },
    {
      label: "Held in escrow",
      value: wallet.held_in_escrow,
      hint: "Prices of open jobs (paid to the worker when you accept, refunded if cancelled or failed) and of paid runs in flight",
      id: "wallet-escrow",
    },
    { label: "Balance", value: wallet.balance, hint: "Available plus held in escrow", id: "wallet-balance" },
  ];
  return (
    <Card>
      <dl className="grid gap-4 sm:grid-cols-3">
        {rows.map((r) => (
          <div key={r.id}>
            <dt className="text-xs text-muted">{r.label}</dt>
            <dd className="text-2xl font-semibold tabular-nums" data-testid={r.id}>
              {formatCents(r.value)}
            </dd>
            <dd className="text-xs text-muted">{r.hint}</dd>
          </div>
        ))}
      </dl>
    </Card>
  );
}

function History({ agentId }: { agentId?: string }) {
  const tx = useWalletTransactions(agentId);
  return (
    <Card>
      <SectionTitle>History</SectionTitle>
      {tx.isError ? (
        <ErrorState title="Could not load the history" message={tx.error.message} />
      ) : !tx.data ? (
        <Skeleton className="h-48" />
      ) : tx.data.data.length === 0 ? (
        <EmptyState title="No movements yet">Top up, hire a service or complete a job to see them here.</EmptyState>
      ) : (
        <div className="space-y-4">
          <BalanceChart entries={tx.data.data} />
          <TransactionTable entries={tx.data.data} />
          {tx.data.next_cursor ? <p className="text-xs text-muted">Showing the newest 50 movements.</p> : null}
        </div>
      )}
    </Card>
  );
}
