import { priceNoteText } from "./amount";

/**
 * The price of a paid run or call (an agent's price_per_run or price_per_call, in cents), shown before the run form
 * or the chat sends anything: "Costs $0.05 per run, charged only when it succeeds". Nothing when it is free.
 */
export function PriceNote({
  priceMinor,
  kind,
  own = false,
  className = "",
}: {
  priceMinor: number | null | undefined;
  kind: "run" | "call";
  /** The caller's own agent: it runs free (the note says so). */
  own?: boolean;
  className?: string;
}) {
  const text = priceNoteText(priceMinor, kind, own);
  if (!text) return null;
  return (
    <p
      className={`text-sm text-muted ${className}`}
      data-testid="price-note"
      data-price-minor={priceMinor ?? undefined}
    >
      {text}
    </p>
  );
}
