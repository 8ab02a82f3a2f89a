import "server-only";
import { tooManyRequests } from "@/lib/api/errors";
import { env } from "@/lib/env";

/**
 * A small in-process sliding-window limiter for the auth routes (sign-in, sign-up). One app instance keeps its
 * own counts; that is enough to slow down password guessing against a single server.
 */
export class SlidingWindowLimiter {
  private readonly hits = new Map<string, number[]>();

  constructor(
    readonly limit: number,
    readonly windowMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Records a hit for `key`; returns 0 when allowed, else the seconds until the next hit would be allowed. */
  hit(key: string): number {
    const t = this.now();
    const from = t - this.windowMs;
    const list = (this.hits.get(key) ?? []).filter((x) => x > from);
    if (list.length >= this.limit) {
      this.hits.set(key, list);
      return Math.max(1, Math.ceil(((list[0] ?? t) + this.windowMs - t) / 1000));
    }
    list.push(t);
    this.hits.set(key, list);
    if (this.hits.size > 10_000) this.prune(from);
    return 0;
  }

  reset(): void {
    this.hits.clear();
  }

  private prune(from: number): void {
    for (const [k, list] of this.hits) if (!list.some((x) => x > from)) this.hits.delete(k);
  }
}

/** The client address as the proxy in front of us reports it; "local" when there is none. */
export function clientIp(req: Request): string {
  const fwd = req.headers.get("x-forwarded-for");
  if (fwd) return fwd.split(",")[0]!.trim();
  return req.headers.get("x-real-ip")?.trim() || "local";
}

let shared: SlidingWindowLimiter | undefined;

/** Shared by sign-in and sign-up: AUTH_RATE_LIMIT_PER_MIN attempts per key per minute. */
export function authLimiter(): SlidingWindowLimiter {
  shared ??= new SlidingWindowLimiter(env().AUTH_RATE_LIMIT_PER_MIN, 60_000);
  return shared;
}

/** Throws a 429 with Retry-After when `key` has used up its window. */
export function enforceAuthLimit(key: string): void {
  const wait = authLimiter().hit(key);
  if (wait > 0) throw tooManyRequests("Too many attempts; try again later", wait);
}
