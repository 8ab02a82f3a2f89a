"use client";

import { lazy, Suspense, useEffect, type ComponentType } from "react";
import { MARKET_EVENT } from "@/lib/client/live";
import { useSse } from "@/lib/client/sse";
import type { MarketEvent } from "@/lib/client/types";

// Only shown while the connection is down: its own chunk, so first-load JavaScript does not grow. It is fetched
// once the page is up (below), before any drop; if even that failed, the notice is left out rather than the page.
const loadNotice = (): Promise<{ default: ComponentType<{ closed: boolean }> }> =>
  import("./live-notice").catch(() => ({ default: () => null }));
const LiveNotice = lazy(loadNotice);

/**
 * The one live connection of a signed-in page: the platform event stream, re-dispatched on window so that any
 * part of the page can react (react-query invalidation, the unread badge, server pages that refresh). After a
 * drop, useSse reconnects with Last-Event-ID so no event is missed; meanwhile a notice says updates are paused.
 */
export function LiveEvents() {
  const status = useSse(
    "/api/events",
    (frame) => {
      let ev: MarketEvent;
      try {
        ev = JSON.parse(frame.data) as MarketEvent;
      } catch {
        return;
      }
      if (typeof ev !== "object" || !ev || !ev.subject_type) return;
      window.dispatchEvent(new CustomEvent<MarketEvent>(MARKET_EVENT, { detail: ev }));
    },
    { reconnectOnEnd: true },
  );
  useEffect(() => {
    void loadNotice();
  }, []);
  // Exposed for tests and tools: whether live updates are flowing.
  useEffect(() => {
    document.documentElement.dataset.live = status;
  }, [status]);
  // "reconnecting": an attempt failed (a drop, or the first connection); "closed": the stream gave up (e.g. a 4xx).
  return status === "reconnecting" || status === "closed" ? (
    <Suspense>
      <LiveNotice closed={status === "closed"} />
    </Suspense>
  ) : null;
}
