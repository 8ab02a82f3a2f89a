/** The event hub's settings (lib/events/hub.ts). */
export interface HubOptions {
  /** Safety-net poll in case a notification is lost (a LISTEN connection that dropped and came back). */
  pollMs?: number;
  /** Rows per read of the log. */
  batch?: number;
  /** A subscriber whose unsent bytes exceed this is dropped; it resumes with Last-Event-ID. */
  maxBacklogBytes?: number;
  /** Live events buffered for a subscriber that is still replaying; past this it is dropped. */
  maxReplayBuffer?: number;
  /** Stop listening this long after the last subscriber left (0 = never). */
  idleStopMs?: number;
  /** Told how long writing one event to its subscribers took, when it went to at least 1,000 of them. */
  onFanOut?: ((fanOut: FanOut) => void) | null;
}

/** One event's fan-out: how many subscribers were written to, in how many milliseconds (encoding included). */
export interface FanOut {
  eventId: number;
  writes: number;
  ms: number;
  /** From the row's insert (its created_at) to the start of the fan-out: commit, notification, read of the log. */
  lagMs: number;
}

export const HUB_DEFAULTS: Required<HubOptions> = {
  pollMs: 3_000,
  batch: 500,
  maxBacklogBytes: 512 * 1024,
  maxReplayBuffer: 10_000,
  idleStopMs: 60_000,
  onFanOut: null,
};
