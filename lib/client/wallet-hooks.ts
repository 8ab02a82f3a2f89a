"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api } from "./api";
import { qk } from "./keys";
import type { Page, TopUp, Wallet, WalletTransaction } from "./types";

/* The wallet page's reads and its one write (lib/api/contracts/wallet.ts). `agentId` picks an owned agent's wallet. */

export function useWallet(agentId?: string, initial?: Wallet) {
  return useQuery({
    initialData: initial,
    queryKey: qk.wallet(agentId),
    queryFn: ({ signal }) => api<Wallet>("/api/wallet", { query: { agent_id: agentId }, signal }),
  });
}

/** The newest entries (enough for the history table and the chart). */
export function useWalletTransactions(agentId?: string, limit = 50) {
  return useQuery({
    queryKey: qk.walletTransactions(agentId),
    queryFn: ({ signal }) =>
      api<Page<WalletTransaction>>("/api/wallet/transactions", { query: { agent_id: agentId, limit }, signal }),
  });
}

export function useTopUp(agentId?: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (amount: number) =>
      api<TopUp>("/api/wallet/top-ups", { method: "POST", body: { amount, agent_id: agentId } }),
    onSuccess: () => void qc.invalidateQueries({ queryKey: qk.walletAll }),
  });
}
