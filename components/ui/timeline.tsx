import type { ReactNode } from "react";
import { formatDateTime } from "./format";

/** A vertical timeline of steps, oldest first. */
export function Timeline({ label, children }: { label: string; children: ReactNode }) {
  return (
    <ol className="relative space-y-4 border-l border-line pl-5" aria-label={label}>
      {children}
    </ol>
  );
}

/**
 * One step of a Timeline: a dot (red when `bad`), what happened and when (to the second with `seconds`: pass
 * needsSeconds of the steps' times from ./format, the same for every step of a timeline).
 */
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
        <time dateTime={at}>{formatDateTime(at, seconds)}</time>
      </p>
      {children}
    </li>
  );
}
