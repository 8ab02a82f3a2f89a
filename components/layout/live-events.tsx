"use client";

import { useEffect } from "react";
import { MARKET_EVENT } from "@/lib/client/live";
import { useSse } from "@/lib/client/sse";
import type { MarketEvent } from "@/lib/client/types";

/**
 * The one live connection of a signed-in page: the platform event stream, re-dispatched on window so that any
 * part of the page can react (react-query invalidation, the unread badge, server pages that refresh). After a
 * drop, useSse reconnects with Last-Event-ID so no event is missed; meanwhile <html data-live> says so, and the
 * header's LiveNotice (CSS only) shows it.
 */
export function LiveEvents() {
  const status = useSse(
    "/api/events",
    (frame) => {
      try {
        const ev = JSON.parse(frame.data) as MarketEvent | null;
        if (ev?.subject_type) window.dispatchEvent(new CustomEvent<MarketEvent>(MARKET_EVENT, { detail: ev }));
      } catch {
        // not an event: skipped
      }
    },
    { reconnectOnEnd: true },
  );
  // Exposed for tests and tools: whether live updates are flowing.
  useEffect(() => {
    document.documentElement.dataset.live = status;
  }, [status]);
  return null;
}
