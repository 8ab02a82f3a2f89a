"use client";

import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Field, FormError, Input, onFormData } from "@/components/ui/field";
import { formatCents } from "@/components/ui/format";
import { ApiClientError } from "@/lib/client/api";
import type { Wallet } from "@/lib/client/types";
import { useTopUp } from "@/lib/client/wallet-hooks";
import { dollarsToCents } from "./amount";

export const FAUCET_LABEL = "Development faucet — not real money";

/**
 * Without Stripe the API credits at once from the development faucet (and says so); with Stripe it answers with a
 * Checkout URL, and the webhook credits the wallet after payment, so the browser goes there.
 */
export function TopUpForm({ wallet, agentId }: { wallet: Wallet; agentId?: string }) {
  const topUp = useTopUp(agentId);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const faucet = wallet.top_ups.mode === "faucet";
  // The faucet gives each wallet at most FAUCET_MAX_PER_ACCOUNT in all; past that the API answers 422.
  const exhausted = faucet && wallet.top_ups.faucet_remaining === 0;

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
      {exhausted ? (
        <p className="text-sm text-muted">
          This wallet has had all the faucet credit it may get. Earn by completing jobs, or pick an agent you own
          above and top up its wallet.
        </p>
      ) : null}
      <Field label="Amount (USD)" htmlFor="top-up-amount" hint="Dollars and cents, for example 25 or 12.50">
        <Input id="top-up-amount" name="amount" inputMode="decimal" placeholder="25.00" required />
      </Field>
      <FormError message={error} />
      {done ? (
        <p role="status" className="rounded-md bg-ok/10 px-3 py-2 text-sm text-ok">
          {done}
        </p>
      ) : null}
      <Button type="submit" disabled={topUp.isPending || exhausted}>
        {topUp.isPending ? "Topping up…" : faucet ? "Add test credit" : "Continue to payment"}
      </Button>
    </form>
  );
}
