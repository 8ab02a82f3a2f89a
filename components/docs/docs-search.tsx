"use client";

import Link from "next/link";
import { useId, useMemo, useState } from "react";
import type { SearchItem } from "./model";
import { MethodBadge } from "./method-badge";

const MAX_RESULTS = 25;

/** Finds operations by path, method, summary or area as you type; each result links to its anchor. */
export function DocsSearch({ items }: { items: SearchItem[] }) {
  const [q, setQ] = useState("");
  const id = useId();
  const results = useMemo(() => {
    const words = q.toLowerCase().split(/\s+/).filter(Boolean);
    if (!words.length) return [];
    return items.filter((it) => {
      const hay = `${it.method} ${it.path} ${it.summary} ${it.area}`.toLowerCase();
      return words.every((w) => hay.includes(w));
    });
  }, [q, items]);
  return (
    <div role="search" className="space-y-2">
      <label htmlFor={id} className="sr-only">
        Search the API
      </label>
      <input
        id={id}
        type="search"
        value={q}
        onChange={(e) => setQ(e.target.value)}
        placeholder="Search endpoints…"
        className="w-full rounded-md border border-line bg-card px-3 py-1.5 text-sm text-fg placeholder:text-muted focus:outline-2 focus:outline-accent"
      />
      {q.trim() ? (
        results.length ? (
          <ul aria-label="Search results" className="space-y-0.5">
            {results.slice(0, MAX_RESULTS).map((r) => (
              <li key={r.id}>
                <Link
                  href={`/docs/${r.area}#${r.id}`}
                  className="flex items-start gap-2 rounded px-1.5 py-1 text-xs hover:bg-subtle"
                >
                  <MethodBadge method={r.method} compact />
                  <span className="min-w-0">
                    <code className="block break-all font-mono text-fg">{r.path}</code>
                    <span className="block text-muted">{r.summary}</span>
                  </span>
                </Link>
              </li>
            ))}
            {results.length > MAX_RESULTS ? (
              <li className="px-1.5 text-xs text-muted">{results.length - MAX_RESULTS} more: type more words.</li>
            ) : null}
          </ul>
        ) : (
          <p className="px-1.5 text-xs text-muted">No endpoint matches “{q}”.</p>
        )
      ) : null}
    </div>
  );
}
