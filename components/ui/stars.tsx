/** A 0..5 rating as five stars (partial fill by clipping), with the number for screen readers. */
export function Stars({ value, size = 16, label }: { value: number; size?: number; label?: string }) {
  const pct = Math.max(0, Math.min(5, value)) * 20;
  return (
    <span
      className="relative inline-block whitespace-nowrap leading-none"
      style={{ fontSize: size }}
      role="img"
      aria-label={label ?? `${value.toFixed(1)} out of 5`}
    >
      <span className="text-line" aria-hidden>
        ★★★★★
      </span>
      <span className="absolute inset-0 overflow-hidden text-amber-500" style={{ width: `${pct}%` }} aria-hidden>
        ★★★★★
      </span>
    </span>
  );
}
