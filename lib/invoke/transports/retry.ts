import { InvocationError, toInvocationError } from "../errors";

/** Exponential backoff for 503/504-class failures, 1 s initial delay, x2, at most 8 s, 3 attempts (./properties.test.ts). */
export interface RetryPolicy {
  attempts: number;
  initialDelayMs: number;
  multiplier: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 3, initialDelayMs: 1000, multiplier: 2, maxDelayMs: 8000 };

/** The waits between attempts: [1000, 2000] for the default policy. */
export function retryDelays(policy: RetryPolicy): number[] {
  const delays: number[] = [];
  for (let i = 0; i < policy.attempts - 1; i++) {
    delays.push(Math.min(policy.maxDelayMs, policy.initialDelayMs * policy.multiplier ** i));
  }
  return delays;
}

export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

export const realSleep: Sleep = (ms, signal) =>
  new Promise((resolve) => {
    if (ms <= 0 || signal?.aborted) return resolve();
    const t = setTimeout(resolve, ms);
    signal?.addEventListener(
      "abort",
      () => {
        clearTimeout(t);
        resolve();
      },
      { once: true },
    );
  });

/**
 * Runs `attempt` until it succeeds, fails with a non-retryable error, or the attempts run out. `canRetry`
 * lets the caller veto a retry (a stream that already delivered chunks is never replayed, the deadline).
 */
export async function withRetry<T>(
  policy: RetryPolicy,
  sleep: Sleep,
  attempt: (n: number) => Promise<T>,
  canRetry: (err: InvocationError, delayMs: number) => boolean = () => true,
  signal?: AbortSignal,
): Promise<{ value: T; attempts: number }> {
  const delays = retryDelays(policy);
  for (let n = 1; ; n++) {
    try {
      return { value: await attempt(n), attempts: n };
    } catch (raw) {
      const err = toInvocationError(raw);
      err.attempts = n;
      const delay = delays[n - 1];
      if (!err.retryable || delay === undefined || signal?.aborted || !canRetry(err, delay)) throw err;
      await sleep(delay, signal);
      if (signal?.aborted) throw err;
    }
  }
}
