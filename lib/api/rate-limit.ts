import "server-only";
import { RateLimiterMemory, RateLimiterPostgres, RateLimiterRes } from "rate-limiter-flexible";
import { getDatabase, type Database } from "@/db/client";
import { principalLabel, type Principal } from "@/lib/auth/principal";
import { env } from "@/lib/env";
import { addressBucket, clientAddress, parseTrustProxy, type TrustProxy } from "./client-address";
import { ApiError, tooManyRequests } from "./errors";
import { peerAddress } from "./peer-address";
import { RATE_LIMIT_POLICIES, type RateLimitName, type RateLimitRule } from "./rate-limit-policies";
import { postgresStore, sweepExpired } from "./rate-limit-store";
import { acquireStreamSlot, holdStreamSlot, type StreamSlot } from "./stream-slots";

/**
 * The API's rate limits, enforced by withApi from the route contract's `rateLimit` (one place, not per route).
 * Counters are rows of the `rate_limits` table, kept by rate-limiter-flexible's Postgres store through
 * lib/api/rate-limit-store.ts (node-postgres, Neon and PGlite alike), so every app process on the database shares
 * them. If the database cannot be reached, the library's insurance limiter counts in this process meanwhile.
 */

type DatabaseSource = () => Promise<Database>;

export interface RateLimiterOptions {
  /** Prefix of the counters' keys: limiters of one name share counts. */
  name: string;
  points: number;
  windowS: number;
  /** Which database holds the counters; the app's by default (tests pass two handles on one database). */
  database?: DatabaseSource;
}

/** A limiter over the `rate_limits` table. Two instances on one database share their counts. */
export function createRateLimiter(opts: RateLimiterOptions): RateLimiterPostgres {
  const source = opts.database ?? getDatabase;
  return new RateLimiterPostgres({
    storeClient: postgresStore(source),
    storeType: "client",
    tableName: "rate_limits",
    // Created by the drizzle migration (db/schema/rate-limits.ts), not by the library.
    tableCreated: true,
    // Expired rows are swept by sweepExpired (one timer per database, not one per limiter).
    clearExpiredByTimeout: false,
    keyPrefix: opts.name,
    points: opts.points,
    duration: opts.windowS,
    // Once a key is over its quota, this process refuses it until the window ends without asking the database
    // again: a client hammering past its limit costs no queries. The decision itself came from the shared count.
    inMemoryBlockOnConsumed: opts.points + 1,
    insuranceLimiter: new RateLimiterMemory({ keyPrefix: opts.name, points: opts.points, duration: opts.windowS }),
  });
}

const limiters = new Map<string, RateLimiterPostgres>();

function limiterFor(name: RateLimitName, points: number, windowS: number): RateLimiterPostgres {
  // Keyed by the quota too: tests change the variables between cases.
  const id = `${name}:${points}:${windowS}`;
  let limiter = limiters.get(id);
  if (!limiter) {
    limiter = createRateLimiter({ name, points, windowS });
    limiters.set(id, limiter);
  }
  return limiter;
}

let trustCache: { text: string | undefined; trust: TrustProxy } | undefined;

function trustProxy(): TrustProxy {
  const text = env().TRUST_PROXY;
  if (!trustCache || trustCache.text !== text) trustCache = { text, trust: parseTrustProxy(text) };
  return trustCache.trust;
}

/** The client's address as far as the configuration lets us know it (see lib/api/client-address.ts). */
export function requestClientAddress(req: Request): string | null {
  return clientAddress({ peer: peerAddress(req), forwardedFor: req.headers.get("x-forwarded-for") }, trustProxy());
}

/**
 * The bucket a request counts in: its address or its caller, the other as the fallback; null when the request
 * can be attributed to nobody (then it is not counted: see RateLimitPer).
 */
export function rateLimitKey(rule: RateLimitRule, req: Request, principal: Principal | null): string | null {
  const address = requestClientAddress(req);
  const byAddress = address ? `addr:${addressBucket(address)}` : null;
  const byPrincipal = principal ? principalLabel(principal) : null;
  return rule.per === "address" ? (byAddress ?? byPrincipal) : (byPrincipal ?? byAddress);
}

/** What withApi holds while the request runs: headers for the answer and, for a stream, its slot. */
export interface RateLimitGrant {
  /** The success response with the RateLimit headers (and, for a stream, its slot held until it closes). */
  settle(res: Response): Response;
  /** The request failed: give back what was taken (a stream slot). */
  abandon(): void;
}

const policyHeader = (name: string, params: string) => `"${name}";${params}`;

function rateLimitError(message: string, retryAfterS: number, headers: Record<string, string>, details: object) {
  const base = tooManyRequests(message, retryAfterS, details as Record<string, unknown>);
  return new ApiError(base.status, base.name, base.message, base.details, { ...base.headers, ...headers });
}

function withHeaders(res: Response, headers: Record<string, string>): Response {
  try {
    for (const [k, v] of Object.entries(headers)) res.headers.set(k, v);
    return res;
  } catch {
    // Immutable headers (a fetched response passed through): copy.
    const copy = new Response(res.body, res);
    for (const [k, v] of Object.entries(headers)) copy.headers.set(k, v);
    return copy;
  }
}

/**
 * Counts the request against its contract's limit. Throws the 429 (with `Retry-After`, `RateLimit` and
 * `RateLimit-Policy`) when the quota is used up; otherwise returns the grant, or null when nothing was counted.
 */
export async function enforceRateLimit(
  rule: RateLimitRule,
  req: Request,
  principal: Principal | null,
): Promise<RateLimitGrant | null> {
  const key = rateLimitKey(rule, req, principal);
  if (!key) return null;
  const policy = RATE_LIMIT_POLICIES[rule.name];
  const quota = env()[policy.envVar];
  if (policy.kind === "concurrent") return enforceStreamSlots(rule.name, key, quota, policy.counts, req.signal);

  const limiter = limiterFor(rule.name, quota, policy.windowS);
  const policyValue = policyHeader(rule.name, `q=${quota};w=${policy.windowS}`);
  let res: RateLimiterRes;
  try {
    res = await limiter.consume(key);
  } catch (rejection) {
    if (!(rejection instanceof RateLimiterRes)) throw rejection;
    const wait = Math.max(1, Math.ceil(rejection.msBeforeNext / 1000));
    throw rateLimitError(
      `Too many ${policy.counts}: at most ${quota} per ${policy.windowS >= 3600 ? "hour" : "minute"}; try again in ${wait} s`,
      wait,
      { "RateLimit-Policy": policyValue, RateLimit: policyHeader(rule.name, `r=0;t=${wait}`) },
      { limit: rule.name, quota, window_s: policy.windowS },
    );
  }
  void getDatabase().then(sweepExpired, () => {});
  const reset = Math.max(0, Math.ceil(res.msBeforeNext / 1000));
  const headers = {
    "RateLimit-Policy": policyValue,
    RateLimit: policyHeader(rule.name, `r=${res.remainingPoints};t=${reset}`),
  };
  return { settle: (r) => withHeaders(r, headers), abandon: () => {} };
}

/** How long a refused stream should wait before trying again: about one lease renewal. */
const STREAM_RETRY_S = 10;

async function enforceStreamSlots(
  name: RateLimitName,
  key: string,
  max: number,
  counts: string,
  signal: AbortSignal,
): Promise<RateLimitGrant> {
  const database = await getDatabase();
  sweepExpired(database);
  const policyValue = policyHeader(name, `q=${max};qu="concurrent-requests"`);
  const slot: StreamSlot | null = await acquireStreamSlot(database, key, max);
  if (!slot) {
    throw rateLimitError(
      `Too many ${counts}: at most ${max} at once; close one and try again`,
      STREAM_RETRY_S,
      { "RateLimit-Policy": policyValue, RateLimit: policyHeader(name, `r=0;t=${STREAM_RETRY_S}`) },
      { limit: name, quota: max },
    );
  }
  const headers = { "RateLimit-Policy": policyValue, RateLimit: policyHeader(name, `r=${slot.remaining}`) };
  return {
    settle: (r) => holdStreamSlot(withHeaders(r, headers), slot, signal),
    abandon: () => slot.release(),
  };
}

