import "server-only";

// In-flight invocations per caller, in this process. (Several app instances each enforce the limit on their own.)
const inFlight = new Map<string, number>();

/**
 * Takes one of the caller's `max` concurrent invocation slots, or returns null when all are taken.
 * The returned release function is idempotent.
 */
export function tryAcquireSlot(caller: string, max: number): (() => void) | null {
  const n = inFlight.get(caller) ?? 0;
  if (n >= max) return null;
  inFlight.set(caller, n + 1);
  let released = false;
  return () => {
    if (released) return;
    released = true;
    const left = (inFlight.get(caller) ?? 1) - 1;
    if (left <= 0) inFlight.delete(caller);
    else inFlight.set(caller, left);
  };
}

export function inFlightFor(caller: string): number {
  return inFlight.get(caller) ?? 0;
}
