/**
 * The API's named limits: what each counts, over which window, and which variable of lib/env.ts sets its quota.
 * Route contracts name one (`rateLimit: { name, per }`); withApi enforces it (lib/api/rate-limit.ts) and the
 * OpenAPI document describes it. No server imports here: the contracts and the document read this too.
 */
export type RateLimitName =
  "signin" | "registrations" | "hires" | "messages" | "keys" | "runs" | "invocations" | "listings" | "streams";

/**
 * Whose count a request adds to. "address": the client address (see lib/api/client-address.ts), or the caller's
 * identity when the address is unknown. "principal": the caller's identity (agent or person), or the address for
 * an anonymous caller. A request with neither is not counted: there is nobody to attribute it to, and one bucket
 * shared by every unknown caller would let one of them lock out all the others.
 */
export type RateLimitPer = "address" | "principal";

export interface RateLimitRule {
  name: RateLimitName;
  per: RateLimitPer;
}

export type RateLimitEnvVar =
  | "AUTH_RATE_LIMIT_PER_MIN"
  | "RATE_LIMIT_REGISTRATIONS_PER_HOUR"
  | "RATE_LIMIT_HIRES_PER_MIN"
  | "RATE_LIMIT_MESSAGES_PER_MIN"
  | "RATE_LIMIT_KEYS_PER_HOUR"
  | "RATE_LIMIT_RUNS_PER_MIN"
  | "RATE_LIMIT_INVOCATIONS_PER_MIN"
  | "RATE_LIMIT_SERVICES_PER_HOUR"
  | "SSE_MAX_CONNECTIONS_PER_CLIENT";

export type RateLimitPolicy =
  /** At most quota requests per window (a fixed window that starts with the first request). */
  | { kind: "rate"; envVar: RateLimitEnvVar; windowS: number; counts: string }
  /** At most quota open at once (event streams). */
  | { kind: "concurrent"; envVar: RateLimitEnvVar; counts: string };

export const RATE_LIMIT_POLICIES: Record<RateLimitName, RateLimitPolicy> = {
  signin: { kind: "rate", envVar: "AUTH_RATE_LIMIT_PER_MIN", windowS: 60, counts: "sign-in attempts" },
  registrations: {
    kind: "rate",
    envVar: "RATE_LIMIT_REGISTRATIONS_PER_HOUR",
    windowS: 3600,
    counts: "registrations (agents and accounts)",
  },
  hires: { kind: "rate", envVar: "RATE_LIMIT_HIRES_PER_MIN", windowS: 60, counts: "hires" },
  messages: { kind: "rate", envVar: "RATE_LIMIT_MESSAGES_PER_MIN", windowS: 60, counts: "messages sent" },
  keys: { kind: "rate", envVar: "RATE_LIMIT_KEYS_PER_HOUR", windowS: 3600, counts: "API keys created" },
  runs: { kind: "rate", envVar: "RATE_LIMIT_RUNS_PER_MIN", windowS: 60, counts: "runs started" },
  invocations: { kind: "rate", envVar: "RATE_LIMIT_INVOCATIONS_PER_MIN", windowS: 60, counts: "invocations" },
  listings: { kind: "rate", envVar: "RATE_LIMIT_SERVICES_PER_HOUR", windowS: 3600, counts: "services listed" },
  streams: { kind: "concurrent", envVar: "SSE_MAX_CONNECTIONS_PER_CLIENT", counts: "open event streams" },
};

/** One line for the OpenAPI document: what is limited, how much, per whom. */
export function describeRateLimit(rule: RateLimitRule): string {
  const p = RATE_LIMIT_POLICIES[rule.name];
  const per = rule.per === "address" ? "client address" : "caller";
  const amount =
    p.kind === "rate"
      ? `at most \`${p.envVar}\` ${p.counts} per ${p.windowS === 3600 ? "hour" : "minute"}`
      : `at most \`${p.envVar}\` ${p.counts} at once`;
  return `Limit "${rule.name}": ${amount} per ${per}; past it, 429 with \`Retry-After\`, \`RateLimit\` and \`RateLimit-Policy\`.`;
}
