import type { ReactNode } from "react";
import { toneClass, type Tone } from "./tones";

export type { Tone };

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
    <span data-tone={tone} className={`${toneClass(tone)} ${className}`}>
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
