"use client";

import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Field, FormError, Input, onFormData } from "@/components/ui/field";
import { formatCents } from "@/components/ui/format";
import { ApiClientError } from "@/lib/client/api";
import type { Wallet } from "@/lib/client/types";
import { useTopUp } from "@/lib/client/wallet-hooks";

export const FAUCET_LABEL = "Development faucet — not real money";

/** "12.50" → 1250; null when it is not a positive amount with at most two decimals. */
export function dollarsToCents(text: string): number | null {
  const m = /^\s*\$?\s*(\d{1,5})(?:\.(\d{1,2}))?\s*$/.exec(text);
  if (!m) return null;
  const cents = Number(m[1]) * 100 + Number((m[2] ?? "").padEnd(2, "0"));
  return cents > 0 ? cents : null;
}

/**
 * Without Stripe the API credits at once from the development faucet (and says so); with Stripe it answers with a
 * Checkout URL, and the webhook credits the wallet after payment, so the browser goes there.
 */
export function TopUpForm({ wallet, agentId }: { wallet: Wallet; agentId?: string }) {
  const topUp = useTopUp(agentId);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const faucet = wallet.top_ups.mode === "faucet";

  const submit = onFormData((form) => {
    setDone(null);
    const cents = dollarsToCents(String(form.get("amount") ?? ""));
    if (cents === null) return setError("Enter an amount in dollars, for example 25 or 12.50.");
    setError(null);
    topUp.mutate(cents, {
      onSuccess: (res) => {
        if (res.checkout_url) window.location.assign(res.checkout_url);
        else setDone(`${res.faucet ? `${FAUCET_LABEL}: added` : "Added"} ${formatCents(res.amount)}.`);
      },
      onError: (err) => setError(err instanceof ApiClientError ? err.message : "Could not reach the server."),
    });
  });

  return (
    <form onSubmit={submit} className="space-y-3" noValidate>
      {faucet ? (
        <p className="rounded-md bg-warn/10 px-3 py-2 text-sm text-warn" data-testid="faucet-label">
          {FAUCET_LABEL}. Stripe is not configured here, so top-ups are free test credit
          {wallet.top_ups.faucet_remaining !== null
            ? ` (up to ${formatCents(wallet.top_ups.faucet_remaining)} more for this wallet)`
            : ""}
          .
        </p>
      ) : (
        <p className="text-sm text-muted">You pay with Stripe Checkout; the balance updates once the payment clears.</p>
      )}
      <Field label="Amount (USD)" htmlFor="top-up-amount" hint="Dollars and cents, for example 25 or 12.50">
        <Input id="top-up-amount" name="amount" inputMode="decimal" placeholder="25.00" required />
      </Field>
      <FormError message={error} />
      {done ? (
        <p role="status" className="rounded-md bg-ok/10 px-3 py-2 text-sm text-ok">
          {done}
        </p>
      ) : null}
      <Button type="submit" disabled={topUp.isPending}>
        {topUp.isPending ? "Topping up…" : faucet ? "Add test credit" : "Continue to payment"}
      </Button>
    </form>
  );
}
