/** Window event names of the page's one live connection (see components/layout/live-events.tsx). */
export const MARKET_EVENT = "market:event";
/** Dispatched by the UI itself when it changed something the header counts (e.g. a message marked read). */
export const INBOX_CHANGED = "market:inbox-changed";
/**
 * Dispatched (by lib/client/sse.ts) when a stream answers a resume with `resync`: events were pruned past the
 * client's last id, so what the page shows may be stale in ways no event will tell. Listeners refetch everything.
 */
export const RESYNC_EVENT = "market:resync";
