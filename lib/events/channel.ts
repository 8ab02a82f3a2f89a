/** The Postgres notification channel on which every commit that appended events says its last event id. */
export const EVENTS_CHANNEL = "agent_market_events";
