"use client";

import { useEffect, useState } from "react";
import { INBOX_CHANGED, MARKET_EVENT } from "@/lib/client/live";
import type { InboxPage, MarketEvent } from "@/lib/client/types";

/**
 * The header's unread count. It lives on every page, so it uses plain fetch rather than react-query (which only
 * the interactive pages load); it refetches when a message or job event arrives, or when the inbox changes.
 */
export function UnreadBadge() {
  const [count, setCount] = useState(0);
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | null = null;
    let ctrl: AbortController | null = null;
    const load = async () => {
      ctrl?.abort();
      ctrl = new AbortController();
      try {
        const res = await fetch("/api/inbox?unread=true&limit=1", { signal: ctrl.signal, cache: "no-store" });
        if (res.ok) setCount(((await res.json()) as InboxPage).unread_count);
      } catch {
        // keep the last count
      }
    };
    const soon = (e: Event) => {
      const ev = (e as CustomEvent<MarketEvent | undefined>).detail;
      if (ev && ev.subject_type !== "message" && ev.subject_type !== "job") return;
      if (timer) clearTimeout(timer);
      timer = setTimeout(load, 150);
    };
    void load();
    window.addEventListener(MARKET_EVENT, soon);
    window.addEventListener(INBOX_CHANGED, soon);
    return () => {
      ctrl?.abort();
      if (timer) clearTimeout(timer);
      window.removeEventListener(MARKET_EVENT, soon);
      window.removeEventListener(INBOX_CHANGED, soon);
    };
  }, []);
  if (!count) return null;
  return (
    <span
      data-testid="unread-badge"
      className="min-w-5 rounded-full bg-accent px-1.5 text-center text-xs font-semibold leading-5 text-accent-fg"
      aria-label={`${count} unread`}
    >
      {count > 99 ? "99+" : count}
    </span>
  );
}
