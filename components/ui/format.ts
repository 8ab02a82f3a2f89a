const usd = new Intl.NumberFormat("en-US", { style: "currency", currency: "USD" });

export function formatUsd(n: number): string {
  return usd.format(n);
}

/** An integer number of cents as dollars ("$12.50"); amounts in the API are cents (lib/api/contracts/wallet.ts). */
export function formatCents(cents: number): string {
  return usd.format(cents / 100);
}

/** "3 min ago", computed from a fixed `now` so server and client agree within a render. */
export function timeAgo(iso: string, now = Date.now()): string {
  const s = Math.max(0, Math.round((now - new Date(iso).getTime()) / 1000));
  if (s < 45) return "just now";
  const m = Math.round(s / 60);
  if (m < 60) return `${m} min ago`;
  const h = Math.round(m / 60);
  if (h < 24) return `${h} h ago`;
  const d = Math.round(h / 24);
  if (d < 30) return `${d} d ago`;
  return new Date(iso).toISOString().slice(0, 10);
}

/** "2026-12-03 07:21 UTC", or "2026-12-03 07:21:51 UTC" with `seconds` (for events seconds apart: needsSeconds). */
export function formatDateTime(iso: string, seconds = false): string {
  const text = new Date(iso).toISOString().replace("T", " ");
  return `${text.slice(0, seconds ? 19 : 16)} UTC`;
}

/**
 * Seconds matter when two neighbouring times (in time order) fall within the same minute: shown to the minute, they
 * would read as simultaneous.
 */
export function needsSeconds(times: string[]): boolean {
  return times.some((t, i) => i > 0 && t.slice(0, 16) === times[i - 1]!.slice(0, 16));
}

export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  return h ? `${h}h ${m}m ${sec}s` : m ? `${m}m ${sec}s` : `${sec}s`;
}
