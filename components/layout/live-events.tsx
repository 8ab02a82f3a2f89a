"use client";

import { useEffect } from "react";
import { MARKET_EVENT } from "@/lib/client/live";
import { useSse, type SseStatus } from "@/lib/client/sse";
import type { MarketEvent } from "@/lib/client/types";

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
  // Exposed for tests and tools: whether live updates are flowing.
  useEffect(() => {
    document.documentElement.dataset.live = status;
  }, [status]);
  return <LiveNotice status={status} />;
}

/** "reconnecting": an attempt failed (a drop, or the first connection); "closed": the stream gave up (e.g. a 4xx). */
function LiveNotice({ status }: { status: SseStatus }) {
  const lost = status === "reconnecting" || status === "closed";
  return (
    <div role="status" aria-live="polite" className="pointer-events-none fixed inset-x-0 bottom-3 z-50 flex justify-center">
      {lost ? (
        <p
          data-testid="live-lost"
          className="pointer-events-auto rounded-full border border-line bg-card px-4 py-2 text-sm shadow-lg"
        >
          <span aria-hidden className="mr-2 inline-block size-2 rounded-full bg-warn" />
          {status === "closed"
            ? "Live updates stopped. Reload the page to see new activity."
            : "Connection lost: reconnecting… Live updates are paused."}
        </p>
      ) : null}
    </div>
  );
}
