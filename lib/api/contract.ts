import { z } from "zod";
import type { Scope } from "@/lib/auth/scopes";
import { lenientObjects } from "./input-guards";
import type { RateLimitRule } from "./rate-limit-policies";

export type HttpMethod = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
export type AuthMode = "public" | "optional" | "required";

/**
 * What a route accepts and returns. The handler wrapper validates requests with these schemas and the
 * OpenAPI document is generated from the same objects, so the two cannot drift apart.
 */
export interface RouteContract<
  B extends z.ZodType | undefined = z.ZodType | undefined,
  Q extends z.ZodType | undefined = z.ZodType | undefined,
  P extends z.ZodType | undefined = z.ZodType | undefined,
  A extends AuthMode = AuthMode,
> {
  method: HttpMethod;
  /** OpenAPI-style path: /api/jobs/{id} */
  path: string;
  summary: string;
  tags: string[];
  auth: A;
  scopes?: readonly Scope[];
  body?: B;
  query?: Q;
  params?: P;
  /** Schema of the success body, for the document. */
  response?: z.ZodType;
  /** Success status (200 unless said). */
  status?: number;
  /** Streams text/event-stream instead of JSON. */
  stream?: boolean;
  /** Statuses other than success that answer with a body of their own rather than the error format. */
  otherResponses?: Record<number, { description: string; schema: z.ZodType }>;
  /** Extra error statuses worth documenting beyond the common ones. */
  errors?: number[];
  /**
   * The named limit withApi enforces before the handler runs (lib/api/rate-limit-policies.ts): a rate, or open
   * streams at once; past it, 429 with Retry-After, RateLimit and RateLimit-Policy. Documented in the OpenAPI.
   */
  rateLimit?: RateLimitRule;
  /** Largest body this route reads, when it takes more than MAX_BODY_BYTES (e.g. an uploaded bundle); read per request. */
  maxBodyBytes?: () => number;
}

const registry: RouteContract[] = [];

export function defineRoute<
  B extends z.ZodType | undefined = undefined,
  Q extends z.ZodType | undefined = undefined,
  P extends z.ZodType | undefined = undefined,
  A extends AuthMode = AuthMode,
>(contract: RouteContract<B, Q, P, A>): RouteContract<B, Q, P, A> {
  // Unknown fields are refused everywhere: a contract whose body or query would drop them does not load.
  for (const [part, schema] of [
    ["body", contract.body],
    ["query", contract.query],
  ] as const) {
    const lenient = schema ? lenientObjects(schema) : [];
    if (lenient.length) {
      throw new Error(
        `${contract.method} ${contract.path}: the ${part} schema must refuse unknown fields (z.strictObject) at ${lenient.join(", ")}`,
      );
    }
  }
  registry.push(contract as unknown as RouteContract);
  return contract;
}

export function registeredRoutes(): readonly RouteContract[] {
  return registry;
}

/** Path parameter that must be a UUID; anything else is a 404 rather than a database error. */
export const uuidParam = z.string().uuid();

const UUID_SHAPE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A string Postgres reads as a uuid (any version), checked before it reaches a query: no cast error, no 500. */
export function isUuid(value: string): boolean {
  return UUID_SHAPE.test(value);
}
export const idParams = z.object({ id: uuidParam });
