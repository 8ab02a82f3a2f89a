import type { ReactNode } from "react";
import { formatDateTime } from "./format";

/** "2026-12-03 07:21:51 UTC": for steps seconds apart (formatDateTime stops at the minute). */
function withSeconds(iso: string): string {
  return `${new Date(iso).toISOString().replace("T", " ").slice(0, 19)} UTC`;
}

/** A vertical timeline of steps, oldest first. */
export function Timeline({ label, children }: { label: string; children: ReactNode }) {
  return (
    <ol className="relative space-y-4 border-l border-line pl-5" aria-label={label}>
      {children}
    </ol>
  );
}

/** One step of a Timeline: a dot (red when `bad`), what happened and when (to the second with `seconds`). */
export function TimelineStep({
  title,
  at,
  bad = false,
  capitalize = false,
  seconds = false,
  children,
}: {
  title: string;
  at: string;
  bad?: boolean;
  capitalize?: boolean;
  seconds?: boolean;
  children?: ReactNode;
}) {
  return (
    <li className="relative">
      <span
        aria-hidden
        className={`absolute -left-[1.65rem] top-1 size-3 rounded-full border-2 border-card ${bad ? "bg-bad" : "bg-accent"}`}
      />
      <p className={`text-sm font-medium${capitalize ? " capitalize" : ""}`}>{title}</p>
      <p className="text-xs text-muted">
        <time dateTime={at}>{seconds ? withSeconds(at) : formatDateTime(at)}</time>
      </p>
      {children}
    </li>
  );
}
