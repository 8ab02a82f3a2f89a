import { formatCents } from "@/components/ui/format";

/** "12.50" → 1250; null when it is not a positive amount with at most two decimals. */
export function dollarsToCents(text: string): number | null {
  const m = /^\s*\$?\s*(\d{1,5})(?:\.(\d{1,2}))?\s*$/.exec(text);
  if (!m) return null;
  const cents = Number(m[1]) * 100 + Number((m[2] ?? "").padEnd(2, "0"));
  return cents > 0 ? cents : null;
}

/**
 * What a priced run or call costs, as shown before it starts: "Costs $0.05 per run, charged only when it succeeds".
 * Null when there is nothing to pay (no price, or the caller's own agent: `own`).
 */
export function priceNoteText(priceMinor: number | null | undefined, kind: "run" | "call", own = false): string | null {
  if (!priceMinor || priceMinor <= 0) return null;
  const price = formatCents(priceMinor);
  if (own) return `Free for you: your agent. Others pay ${price} per ${kind}.`;
  return `Costs ${price} per ${kind}, charged only when it succeeds`;
}

const compactUsd = new Intl.NumberFormat("en-US", {
  style: "currency",
  currency: "USD",
  notation: "compact",
  minimumFractionDigits: 0,
  maximumFractionDigits: 1,
});

/**
 * Cents as a short axis label that fits the chart's left margin (at most 7 characters: "$99.99", "$950", "$1.2K",
 * "$250K"): the full "$1,000.00" was clipped at the edge of the wallet's balance chart.
 */
export function axisCents(cents: number): string {
  const abs = Math.abs(cents);
  if (abs < 10_000) return formatCents(cents);
  if (abs < 100_000) return `${cents < 0 ? "-" : ""}$${Math.round(abs / 100)}`;
  return compactUsd.format(cents / 100);
}
