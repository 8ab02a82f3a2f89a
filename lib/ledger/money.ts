/**
 * Amounts are integer cents everywhere money is stored or moved (lib/ledger, the price columns). Dollars appear
 * only at the edges: `price_usd` in the API, kept for backward compatibility, and text for people.
 */

/** Dollars with at most two decimals (the API's price_usd, already validated) to cents, exactly. */
export function toCents(usd: number): number {
  return Math.round(usd * 100);
}

/** Cents to the API's decimal dollars (exact to the cent: every cent amount below 2^53 / 100 prints exactly). */
export function centsToUsd(cents: number): number {
  return cents / 100;
}

export function formatUsd(cents: number): string {
  const sign = cents < 0 ? "-" : "";
  const abs = Math.abs(cents);
  return `${sign}$${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, "0")}`;
}

/** The platform's share of a price at `bps` basis points, rounded down: a fraction of a cent stays the worker's. */
export function feeOf(priceCents: number, bps: number): number {
  return Math.floor((priceCents * bps) / 10_000);
}
