// Each pair reaches 4.5:1 in its theme (a pale tint with dark text in light, a deep tint with light text in dark).
const METHOD_COLORS: Record<string, string> = {
  GET: "bg-sky-100 text-sky-900 dark:bg-sky-950 dark:text-sky-200",
  POST: "bg-emerald-100 text-emerald-900 dark:bg-emerald-950 dark:text-emerald-200",
  PUT: "bg-amber-100 text-amber-900 dark:bg-amber-950 dark:text-amber-200",
  PATCH: "bg-amber-100 text-amber-900 dark:bg-amber-950 dark:text-amber-200",
  DELETE: "bg-rose-100 text-rose-900 dark:bg-rose-950 dark:text-rose-200",
};

export function MethodBadge({ method, compact = false }: { method: string; compact?: boolean }) {
  return (
    <span
      className={`inline-block shrink-0 rounded px-1.5 py-0.5 text-center font-mono text-[0.7rem] font-semibold ${compact ? "w-12" : "w-16"} ${METHOD_COLORS[method] ?? "bg-subtle text-fg"}`}
    >
      {method}
    </span>
  );
}
