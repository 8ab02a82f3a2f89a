import "server-only";
import { ECSClient } from "@aws-sdk/client-ecs";
import { env } from "@/lib/env";

const THROTTLING = new Set(["ThrottlingException", "TooManyRequestsException", "RequestLimitExceeded", "Throttling"]);

export function isThrottling(err: unknown): boolean {
  const e = err as { name?: string; $metadata?: { httpStatusCode?: number } };
  return THROTTLING.has(e?.name ?? "") || e?.$metadata?.httpStatusCode === 429;
}

let cached: { key: string; client: ECSClient } | undefined;

/**
 * The ECS client. Region and credentials come from the standard provider chain (AWS_REGION, AWS_PROFILE,
 * instance/task roles...); AWS_ENDPOINT_URL_ECS points it elsewhere (the loopback test double).
 * The SDK's own retries are off (maxAttempts 1): `withThrottleRetry` owns retrying, so the reconciler can see
 * and count throttling and back off across a whole sweep.
 */
export function ecsClient(): ECSClient {
  const e = env();
  const key = `${e.AWS_REGION ?? ""}|${e.AWS_ENDPOINT_URL_ECS ?? ""}`;
  if (cached?.key === key) return cached.client;
  cached?.client.destroy();
  const client = new ECSClient({
    ...(e.AWS_REGION ? { region: e.AWS_REGION } : {}),
    ...(e.AWS_ENDPOINT_URL_ECS ? { endpoint: e.AWS_ENDPOINT_URL_ECS } : {}),
    maxAttempts: 1,
  });
  cached = { key, client };
  return client;
}

export interface RetryOptions {
  attempts?: number;
  baseMs?: number;
  /** Called on each throttled attempt (the reconciler counts them). */
  onThrottle?: () => void;
}

/** Retries a call that ECS throttled, with exponential backoff and jitter; any other error is thrown at once. */
export async function withThrottleRetry<T>(fn: () => Promise<T>, opts: RetryOptions = {}): Promise<T> {
  const attempts = opts.attempts ?? 5;
  const base = opts.baseMs ?? 100;
  for (let i = 0; ; i++) {
    try {
      return await fn();
    } catch (err) {
      if (!isThrottling(err) || i >= attempts - 1) throw err;
      opts.onThrottle?.();
      const delay = Math.min(5_000, base * 2 ** i) * (0.5 + Math.random() / 2);
      await new Promise((r) => setTimeout(r, delay));
    }
  }
}
