/** Window event names of the page's one live connection (see components/layout/live-events.tsx). */
export const MARKET_EVENT = "market:event";
/** Dispatched by the UI itself when it changed something the header counts (e.g. a message marked read). */
export const INBOX_CHANGED = "market:inbox-changed";
