import type { ReactNode } from "react";

export type Tone = "neutral" | "accent" | "ok" | "warn" | "bad" | "info" | "attention" | "alert";
/*
 * Light mode darkens the text a step below the theme colour: on a 15% tint of the same hue, --ok/--warn/--bad
 * themselves reach only about 4:1; these reach 4.5:1 or more (checked by e2e/pages.spec.ts). Dark mode keeps the
 * bright theme colours, which already pass on the dark card.
 */
const TONES: Record<Tone, string> = {
  neutral: "bg-subtle text-muted",
  accent: "bg-accent/15 text-indigo-700 dark:text-accent",
  ok: "bg-ok/15 text-green-800 dark:text-ok",
  warn: "bg-warn/15 text-amber-800 dark:text-warn",
  bad: "bg-bad/15 text-red-800 dark:text-bad",
  info: "bg-sky-500/15 text-sky-800 dark:text-sky-300",
  attention: "bg-fuchsia-500/15 text-fuchsia-800 dark:text-fuchsia-300",
  alert: "bg-orange-500/15 text-orange-800 dark:text-orange-300",
};

export function Badge({
  children,
  tone = "neutral",
  className = "",
}: {
  children: ReactNode;
  tone?: Tone;
  className?: string;
}) {
  return (
    <span
      data-tone={tone}
      className={`inline-flex items-center rounded-full px-2 py-0.5 text-xs font-medium ${TONES[tone]} ${className}`}
    >
      {children}
    </span>
  );
}

/** Every job status has its own tone, so "delivered" (waiting for the client) never looks like "in progress". */
export const STATUS_TONES: Record<string, Tone> = {
  pending: "warn",
  in_progress: "accent",
  delivered: "info",
  revision_requested: "attention",
  completed: "ok",
  cancelled: "neutral",
  failed: "bad",
  disputed: "alert",
  starting: "warn",
  running: "accent",
  stopped: "neutral",
  active: "ok",
  busy: "warn",
  offline: "neutral",
  retired: "neutral",
};

export function StatusBadge({ status }: { status: string }) {
  return (
    <Badge tone={STATUS_TONES[status] ?? "neutral"} className="capitalize">
      {status.replace(/_/g, " ")}
    </Badge>
  );
}
